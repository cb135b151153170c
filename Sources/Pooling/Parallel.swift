import Parallelism

/// How the kernels use the machine's cores: `Parallelism`'s one chunking rule and core count,
/// with the kernels' grain (work in window cells) and their cancellation check between chunks.
enum Parallel {
    /// The number of cores (`Parallelism`'s count).
    static var cores: Int { Parallelism.Parallel.cores }

    /// Work (window cells) below which a call runs on one core: spreading it costs more than it saves.
    static let minimumWork = 1 << 18

    /// The grain `Parallelism` cuts `count` items of `work` by: all items in one chunk for small
    /// work, else single items (so up to four chunks per core, never more than the items).
    static func grain(_ count: Int, work: Int) -> Int { work < minimumWork ? max(1, count) : 1 }

    /// Runs `body(range)` over `0..<count` in contiguous chunks on all cores and returns the
    /// chunks' results in chunk order. Chunks never share an item, so bodies that write only
    /// their own items' memory need no locks. A chunk that starts after `cancellation` is set is
    /// skipped (its result stays `initial`).
    static func chunks<R>(_ count: Int, work: Int, cancellation: Cancellation?, initial: R,
                          _ body: (Range<Int>) -> R) -> [R] {
        Parallelism.Parallel.mapChunks(count, grain: grain(count, work: work)) { range in
            cancellation?.isCancelled ?? false ? initial : body(range)
        }
    }

    /// ``chunks(_:work:cancellation:initial:_:)`` for bodies without a result.
    static func forEachChunk(_ count: Int, work: Int, cancellation: Cancellation?, _ body: (Range<Int>) -> Void) {
        Parallelism.Parallel.forEachChunk(count, grain: grain(count, work: work)) { _, range in
            if !(cancellation?.isCancelled ?? false) { body(range) }
        }
    }
}

extension Pool {
    /// The number of cores the kernels split large calls over.
    public static var coreCount: Int { Parallel.cores }
}

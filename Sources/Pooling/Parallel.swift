import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// How the kernels use the machine's cores: one core count, one chunking rule.
enum Parallel {
    /// The number of cores, read once.
    static let cores: Int = {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 4
        #endif
    }()

    /// Work (window cells) below which a call runs on one core: spreading it costs more than it saves.
    static let minimumWork = 1 << 18

    /// The chunks `count` items of `work` are split into: one for small work, else four per
    /// core (so that uneven chunks even out), never more than the items.
    static func chunkCount(_ count: Int, work: Int) -> Int {
        work < minimumWork ? 1 : max(1, min(count, cores * 4))
    }

    /// Runs `body(range)` over `0..<count` split into ``chunkCount(_:work:)`` contiguous chunks, on
    /// all cores, and returns the chunks' results in chunk order. Chunks never share an item, so
    /// bodies that write only their own items' memory need no locks. A chunk that starts after
    /// `cancellation` is set is skipped (its result stays `initial`).
    static func chunks<R>(_ count: Int, work: Int, cancellation: Cancellation?, initial: R,
                          _ body: (Range<Int>) -> R) -> [R] {
        let chunks = chunkCount(count, work: work)
        var results = [R](repeating: initial, count: chunks)
        results.withUnsafeMutableBufferPointer { buffer in
            let out = buffer.baseAddress!
            withoutActuallyEscaping(body) { body in
                let run = { (i: Int) in
                    if cancellation?.isCancelled ?? false { return }
                    out[i] = body((i * count / chunks)..<((i + 1) * count / chunks))
                }
                guard chunks > 1 else { return run(0) }
                let shared = SharedChunkBody(run: run)
                DispatchQueue.concurrentPerform(iterations: chunks) { shared.run($0) }
            }
        }
        return results
    }

    /// ``chunks(_:work:cancellation:initial:_:)`` for bodies without a result.
    static func forEachChunk(_ count: Int, work: Int, cancellation: Cancellation?, _ body: (Range<Int>) -> Void) {
        _ = chunks(count, work: work, cancellation: cancellation, initial: ()) { body($0) }
    }
}

/// A chunk body handed to the worker threads.
///
/// `@unchecked Sendable`: bodies reach tensors through raw pointers, which the compiler cannot
/// prove safe to share. The chunking makes them safe: each chunk writes only its own items'
/// memory and its own result slot, and every chunk has ended when `concurrentPerform` returns.
private struct SharedChunkBody: @unchecked Sendable {
    let run: (Int) -> Void
}

extension Pool {
    /// The number of cores the kernels split large calls over.
    public static var coreCount: Int { Parallel.cores }
}

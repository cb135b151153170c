import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Work split into contiguous chunks and run on all cores: the one chunking rule of the codec and
/// the kernels. A chunk gets at least `grain` items (fewer chunks when there is little work), and
/// there are at most four chunks per core, so an uneven chunk does not leave a core idle long.
public enum Parallel {
    /// The number of cores online, read once.
    public static let cores: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// The number of chunks `count` items of at least `grain` items each are cut into.
    @inlinable
    public static func chunkCount(_ count: Int, grain: Int) -> Int {
        max(1, min(count / max(1, grain), cores * 4))
    }

    /// Chunk `c` of `chunks` over `0..<count`.
    @inlinable
    public static func range(_ c: Int, of chunks: Int, count: Int) -> Range<Int> {
        (c * count / chunks)..<((c + 1) * count / chunks)
    }

    /// Calls `body(c, range)` for every chunk of `0..<count` (each at least `grain` items), on all
    /// cores when there is more than one chunk. Chunks never share an index, so bodies that write
    /// only their own items need no locks.
    @inlinable
    public static func forEachChunk(_ count: Int, grain: Int, _ body: (_ chunk: Int, _ range: Range<Int>) -> Void) {
        let chunks = chunkCount(count, grain: grain)
        if chunks == 1 { body(0, 0..<count); return }
        // The one place where work crosses threads unchecked: `concurrentPerform` returns only once
        // every chunk is done, and chunks touch disjoint items, so `body` and what it captures
        // (buffers of the caller's) are never used after this call or by two chunks at once.
        nonisolated(unsafe) let body = body
        DispatchQueue.concurrentPerform(iterations: chunks) { c in body(c, range(c, of: chunks, count: count)) }
    }

    /// Like ``forEachChunk(_:grain:_:)``, collecting one result per chunk, in chunk order.
    @inlinable
    public static func mapChunks<R>(_ count: Int, grain: Int, _ body: (_ range: Range<Int>) -> R) -> [R] {
        var results = [R?](repeating: nil, count: chunkCount(count, grain: grain))
        results.withUnsafeMutableBufferPointer { out in
            let slots = out.baseAddress!
            forEachChunk(count, grain: grain) { c, range in slots[c] = body(range) }
        }
        return results.map { $0! }
    }
}

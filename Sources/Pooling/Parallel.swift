import Dispatch

/// Runs `body` over `0..<count` split into contiguous chunks, on all cores when `work` is large
/// enough to pay for it. Chunks never share an index, so bodies that write only their own
/// planes need no locks. A chunk that starts after `cancellation` is set is skipped.
func parallelChunks(_ count: Int, work: Int, cancellation: Cancellation? = nil, _ body: (Range<Int>) -> Void) {
    let cores = ProcessInfoCores.count
    let chunks = work < 1 << 18 ? 1 : min(count, cores * 4)
    guard chunks > 1 else {
        if !(cancellation?.isCancelled ?? false) { body(0..<count) }
        return
    }
    DispatchQueue.concurrentPerform(iterations: chunks) { i in
        if cancellation?.isCancelled ?? false { return }
        body((i * count / chunks)..<((i + 1) * count / chunks))
    }
}

/// Like ``parallelChunks(_:work:_:)``, collecting one result per chunk, in chunk order.
func parallelChunkResults<R>(_ count: Int, work: Int, initial: R, _ body: (Range<Int>) -> R) -> [R] {
    let cores = ProcessInfoCores.count
    let chunks = work < 1 << 18 ? 1 : max(1, min(count, cores * 4))
    var results = [R](repeating: initial, count: chunks)
    results.withUnsafeMutableBufferPointer { buffer in
        let out = buffer.baseAddress!
        if chunks == 1 {
            out[0] = body(0..<count)
        } else {
            DispatchQueue.concurrentPerform(iterations: chunks) { i in
                out[i] = body((i * count / chunks)..<((i + 1) * count / chunks))
            }
        }
    }
    return results
}

/// The number of cores, read once.
enum ProcessInfoCores {
    static let count: Int = {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 4
        #endif
    }()
}

#if canImport(Glibc)
import Glibc
#endif

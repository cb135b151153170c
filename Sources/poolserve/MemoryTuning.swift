/// glibc's allocator settings for a server whose requests allocate tensors of megabytes.
///
/// By default glibc serves large blocks with `mmap` and gives freed memory at the top of a heap
/// back to the kernel once it passes a threshold that follows the largest block freed; a
/// request that allocates and frees a few tensors of several MiB then pays page faults and
/// zeroing on every call (a third of the server's time on the 1×64×112×112 forward). Keeping
/// blocks up to 32 MiB on the heap and up to 128 MiB of freed memory at its top lets the next
/// request reuse pages that are already mapped.
///
/// One arena: `malloc_trim` (which the server calls after large requests and large answers are
/// freed) shrinks only the main arena's top; the per-thread arenas glibc would otherwise make
/// kept up to the trim threshold each, so that 4 abandoned 46 MB answers left RSS 122 MB above
/// idle (`make bounds-test`, slow readers). With one arena it falls back to within 2 MB. Cost,
/// measured with wrk on the release binary: the b64 1×64×112×112 forward the same (9.7–11.1 ms
/// median against 9.2–11.0), small requests 5–10 % fewer per second.
enum MemoryTuning {
    /// glibc's `M_TRIM_THRESHOLD` and `M_MMAP_THRESHOLD` (malloc.h; Swift's Glibc module does
    /// not export `mallopt`).
    private static let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3, arenaMax: Int32 = -8

    /// Applies the settings (once, before the server starts).
    static func apply() {
        #if os(Linux)
        _ = mallopt(mmapThreshold, 32 << 20)
        _ = mallopt(trimThreshold, 128 << 20)
        _ = mallopt(arenaMax, 1)
        #endif
    }
}

#if os(Linux)
/// glibc's `int mallopt(int param, int value)`.
@_silgen_name("mallopt")
private func mallopt(_ param: Int32, _ value: Int32) -> Int32
#endif

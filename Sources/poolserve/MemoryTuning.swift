/// glibc's allocator settings for a server whose requests allocate tensors of megabytes.
///
/// By default glibc serves large blocks with `mmap` and gives freed memory at the top of a heap
/// back to the kernel once it passes a threshold that follows the largest block freed; a
/// request that allocates and frees a few tensors of several MiB then pays page faults and
/// zeroing on every call (a third of the server's time on the 1×64×112×112 forward). Keeping
/// blocks up to 32 MiB on the heap and up to 128 MiB of freed memory per arena lets the next
/// request reuse pages that are already mapped; memory beyond that is returned as before.
enum MemoryTuning {
    /// glibc's `M_TRIM_THRESHOLD` and `M_MMAP_THRESHOLD` (malloc.h; Swift's Glibc module does
    /// not export `mallopt`).
    private static let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3

    /// Applies the settings (once, before the server starts).
    static func apply() {
        #if os(Linux)
        _ = mallopt(mmapThreshold, 32 << 20)
        _ = mallopt(trimThreshold, 128 << 20)
        #endif
    }
}

#if os(Linux)
/// glibc's `int mallopt(int param, int value)`.
@_silgen_name("mallopt")
private func mallopt(_ param: Int32, _ value: Int32) -> Int32
#endif

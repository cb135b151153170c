import Glibc

/// Where a tensor lies in a ``GuardedRegion``.
enum GuardedPlacement: String, CaseIterable {
    /// Its last byte is the last byte before the trailing `PROT_NONE` page: a load or store
    /// one element past its end faults.
    case againstEnd = "against the end guard"
    /// Its first byte is the first byte after the leading `PROT_NONE` page: a load or store
    /// before its start faults.
    case againstStart = "against the start guard"
}

/// Read-write pages between two `PROT_NONE` guard pages, mapped once and reused for many
/// tensors, so that an access outside a tensor placed in it kills the process at once (with or
/// without AddressSanitizer, which knows nothing of memory from `mmap`). The kernels never see
/// an allocator's padding or a neighbouring heap block that would hide a short overrun.
final class GuardedRegion {
    static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    private let mapping: UnsafeMutableRawPointer
    private let mappedBytes: Int
    /// The read-write bytes between the guards.
    let start: UnsafeMutableRawPointer
    let capacity: Int

    init(capacity bytes: Int) {
        let page = Self.pageSize
        capacity = (bytes + page - 1) / page * page
        mappedBytes = capacity + 2 * page
        guard let p = mmap(nil, mappedBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED else {
            fatalError("mmap of \(mappedBytes) bytes failed: errno \(errno)")
        }
        mapping = p
        start = p + page
        precondition(mprotect(p, page, PROT_NONE) == 0 && mprotect(start + capacity, page, PROT_NONE) == 0, "mprotect failed: errno \(errno)")
    }

    deinit { munmap(mapping, mappedBytes) }

    /// Room for `count` elements of `T` at `placement`, every byte set to 0xA5 (so that an
    /// element a kernel should write but does not is seen, not a leftover of an earlier call).
    func uninitialized<T>(_: T.Type, count: Int, _ placement: GuardedPlacement) -> UnsafeMutablePointer<T> {
        let bytes = count * MemoryLayout<T>.stride
        precondition(bytes <= capacity, "a tensor of \(bytes) bytes in a guarded region of \(capacity)")
        let p = placement == .againstEnd ? start + (capacity - bytes) : start
        precondition(Int(bitPattern: p) % MemoryLayout<T>.alignment == 0)
        p.initializeMemory(as: UInt8.self, repeating: 0xA5, count: bytes)
        return p.assumingMemoryBound(to: T.self)
    }

    /// A copy of `values` at `placement`.
    func copy<T>(_ values: [T], _ placement: GuardedPlacement) -> UnsafeMutablePointer<T> {
        let p = uninitialized(T.self, count: values.count, placement)
        values.withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: values.count) }
        return p
    }
}

/// Names the case that was running when a guard page was hit: a fault kills the test process,
/// and XCTest's output would otherwise end without saying which geometry did it. The previous
/// handler (Swift's backtracer, or AddressSanitizer's) is restored and then gets the same fault.
enum FaultNote {
    private static let capacity = 1024
    nonisolated(unsafe) private static let text: UnsafeMutablePointer<CChar> = {
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: capacity)
        p.initialize(repeating: 0, count: capacity)
        return p
    }()
    nonisolated(unsafe) private static var previous = sigaction()

    /// The case now running (copied into a fixed buffer that the handler can write without allocating).
    static func set(_ note: String) {
        note.withCString { _ = strncpy(text, $0, capacity - 1) }
    }

    static func install() {
        _ = text
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            // Only async-signal-safe calls: write(2) of fixed bytes.
            let head: StaticString = "\nguard page hit while running: "
            let tail: StaticString = "\n"
            _ = write(2, head.utf8Start, head.utf8CodeUnitCount)
            _ = write(2, FaultNote.text, strlen(FaultNote.text))
            _ = write(2, tail.utf8Start, tail.utf8CodeUnitCount)
            // Returning re-runs the faulting access, which the previous handler then reports.
            _ = sigaction(signal, &FaultNote.previous, nil)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        _ = sigaction(SIGSEGV, &action, &previous)
    }

    static func uninstall() {
        _ = sigaction(SIGSEGV, &previous, nil)
    }
}

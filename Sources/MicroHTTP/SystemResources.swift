import Glibc
import Parallelism

/// What the machine (or the container's cgroup) gives the process.
public enum SystemResources {
    /// The cores online, at least 1 (`Parallelism`'s one count).
    public static var coreCount: Int { Parallel.cores }

    /// Physical memory in bytes.
    public static var physicalMemory: Int {
        max(0, sysconf(Int32(_SC_PHYS_PAGES))) * max(0, sysconf(Int32(_SC_PAGESIZE)))
    }

    /// The cgroup's memory limit in bytes (`memory.max` of cgroup v2, or v1's
    /// `memory.limit_in_bytes`), or nil when there is none.
    public static var cgroupMemoryLimit: Int? {
        if let text = readFile("/sys/fs/cgroup/memory.max"), let n = Int(text.trimmingSpaces()), n > 0 { return n }
        if let text = readFile("/sys/fs/cgroup/memory/memory.limit_in_bytes"), let n = Int(text.trimmingSpaces()),
           n > 0, n < physicalMemory { return n }
        return nil
    }

    /// The process's resident set size in bytes (from `/proc/self/statm`), or nil.
    public static var residentBytes: Int? {
        guard let text = readFile("/proc/self/statm") else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * sysconf(Int32(_SC_PAGESIZE))
    }

    /// A small text file's contents, or nil.
    static func readFile(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 1 << 16 {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

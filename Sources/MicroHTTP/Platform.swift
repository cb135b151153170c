#if !os(Linux)
#error("MicroHTTP is Linux only: it uses Linux socket options, cgroup and /proc figures and glibc's allocator")
#endif

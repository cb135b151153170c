import Dispatch
import Glibc

/// The signals that stop the server.
enum Signals {
    /// Blocks `signals` in this thread and every thread it starts from now on (call it before
    /// any thread starts), so that they wait for ``wait(for:)`` instead of ending the process
    /// on whichever thread they hit. SIGPIPE is ignored: a client that goes away must not end
    /// the process.
    static func block(_ signals: [Int32]) {
        Glibc.signal(SIGPIPE, SIG_IGN)
        var set = self.set(signals)
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Waits until one of the blocked `signals` arrives and returns it.
    static func wait(for signals: [Int32]) -> Int32 {
        var set = self.set(signals)
        var received: Int32 = 0
        while sigwait(&set, &received) != 0 {}
        return received
    }

    private static func set(_ signals: [Int32]) -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for s in signals { sigaddset(&set, s) }
        return set
    }
}

/// Process-wide settings made at start.
enum Process {
    /// Raises the soft limit of open files to the hard one: every connection is a descriptor.
    static func raiseOpenFileLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}

import Glibc

/// Seconds on the monotonic clock (`CLOCK_MONOTONIC`), for durations and deadlines.
public enum MonotonicClock {
    /// The current reading in seconds.
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}

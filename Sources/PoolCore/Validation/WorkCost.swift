import Pooling

/// What a request costs, in units of one max window cell (`--max-work` counts these): output
/// cells × window cells × the weight of the mode and direction.
///
/// The weights are the ratios of the costliest path of each mode to max's, measured on one
/// core of the development machine with `taskset -c 0 pool-bench --cell-cost` (2026-12-02;
/// ns per window cell over small and large, 1-D to 3-D, fast and general windows):
///
/// | mode | measured ns per cell (worst) | weight |
/// | --- | --- | --- |
/// | max (first/last ties, any NaN rule), forward or backward | 0.18–0.99 | 1 |
/// | max with `ties: "split"` | 1.7–5.4 | 6 |
/// | avg, forward or backward | 0.07–0.23 | 1 |
/// | lp forward (a `pow` per cell) | 13.7–18.5 | 20 |
/// | lp backward (two per cell) | 15–45.4 | 48 |
///
/// So one unit costs at most about 1 ns on one core, and the default `--max-work` of 2·10⁹
/// units bounds the costliest request it allows to about 2 s of one core.
public enum WorkCost {
    /// The weight of one window cell, in each direction, under a framework convention other than
    /// PyTorch's, whose kernels visit every window cell one at a time with its kind
    /// (``Pool/conventionForward``), in any mode. Measured on one core (release build, one compute
    /// thread, 2026-12-07; 1×16×112×112, kernel 3, stride 2, the `pool` stage of
    /// `Server-Timing` over the cells): max 82–127 ns per cell forward and 101–131 backward, avg
    /// 44–80 and 40–75, lp 53–54 and 88–135. The costliest, 135, rounded up.
    public static let conventionWeight = 160

    /// The weight of one window cell of `mode` in `direction` under a convention whose kernels
    /// are the convention path (`conventionPath`), else on the contract's kernels.
    public static func weight(_ mode: PoolMode, ties: TieRule?, _ direction: Direction, conventionPath: Bool) -> Int {
        guard conventionPath else { return weight(mode, ties: ties, direction) }
        return direction == .both ? 2 * conventionWeight : conventionWeight
    }

    /// Which computations a request runs.
    public enum Direction: Sendable {
        case forward, backward
        /// Forward and backward in one call (an OIP infer with `GRAD_OUTPUT`).
        case both
    }

    /// What a plane of fractional pooling from samples adds for building its own windows: about
    /// 0.9 µs per plane measured (1,000,000 planes of 2×2, kernel 1: 1.45 s of CPU from a seed
    /// against 0.52 s with TensorFlow's shared boundaries, release build, one compute thread).
    public static let perPlaneWindows = 1_000

    /// The weight of one window cell of `mode` (with `ties`) in `direction`.
    public static func weight(_ mode: PoolMode, ties: TieRule?, _ direction: Direction) -> Int {
        switch direction {
        case .both: return weight(mode, ties: ties, .forward) + weight(mode, ties: ties, .backward)
        case .forward, .backward:
            switch mode {
            case .max: return ties == .split ? 6 : 1
            case .avg: return 1
            case .lp: return direction == .forward ? 20 : 48
            }
        }
    }
}

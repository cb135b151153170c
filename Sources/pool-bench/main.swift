// pool-bench: the pooling core on the cases of shared/bench/torch_baseline.py (same names,
// shapes, parameters and ops), all cores, median of 11 runs after a warm-up. Prints one JSON
// line per case and op: {"case", "op", "median_ms", "bytes"} (bytes: the op's memory floor —
// tensors read and written once).
//
// Usage: pool-bench [--op OP] [--runs N] [CASE ...]   the benchmark cases (all by default)
//        pool-bench --cell-cost              ns per window cell of every mode and direction, on a
//                                            small and a large window (run under `taskset -c 0`
//                                            for one core's cost): one JSON line each
//        pool-bench --cancel-latency         how long a huge lp call runs on after its cancel

import Dispatch
import Pooling

struct Case {
    let name: String
    let mode: String
    let shape: [Int]
    let kernel: Int, stride: Int, padding: Int
    let layout: Layout
}

let cases = [
    Case(name: "max2d_stem", mode: "max", shape: [8, 64, 112, 112], kernel: 3, stride: 2, padding: 1, layout: .channelsFirst),
    Case(name: "max2d_stem_cl", mode: "max", shape: [8, 112, 112, 64], kernel: 3, stride: 2, padding: 1, layout: .channelsLast),
    Case(name: "max2d_b1", mode: "max", shape: [1, 64, 112, 112], kernel: 3, stride: 2, padding: 1, layout: .channelsFirst),
    Case(name: "max2d_vgg", mode: "max", shape: [8, 128, 112, 112], kernel: 2, stride: 2, padding: 0, layout: .channelsFirst),
    Case(name: "max3d", mode: "max", shape: [2, 16, 32, 64, 64], kernel: 2, stride: 2, padding: 0, layout: .channelsFirst),
    Case(name: "max1d", mode: "max", shape: [32, 64, 4096], kernel: 4, stride: 2, padding: 0, layout: .channelsFirst),
    Case(name: "avg2d_stem", mode: "avg", shape: [8, 64, 112, 112], kernel: 3, stride: 2, padding: 1, layout: .channelsFirst),
]

/// Timed runs per op (`--runs N`; 11 by default).
nonisolated(unsafe) var timedRuns = 11

func median(runs: Int = timedRuns, _ body: () -> Void) -> Double {
    body()
    body()
    var times: [Double] = []
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    return times.sorted()[runs / 2]
}

func geometry(_ shape: [Int], _ layout: Layout, kernel: Int, stride: Int, padding: Int, dilation: Int = 1) -> PoolGeometry {
    let d = shape.count - 2
    let spec = WindowSpec.fixed(kernel: Array(repeating: kernel, count: d), stride: Array(repeating: stride, count: d),
                                padding: .symmetric(Array(repeating: padding, count: d)), dilation: Array(repeating: dilation, count: d), ceilMode: false)
    return try! PoolGeometry(inputShape: shape, layout: layout, window: spec)
}

nonisolated(unsafe) var state: UInt64 = 42
func random() -> Float {
    state = state &* 6364136223846793005 &+ 1442695040888963407
    return Float(Int64(bitPattern: state) >> 40) / Float(1 << 23)
}
nonisolated(unsafe) var sink: Float = 0

func benchmarkCases(only: Set<String>, op: String?) {
    func emit(_ c: Case, _ name: String, bytes: Int, _ body: () -> Void) {
        guard op == nil || op == name else { return }
        let ms = median(body)
        print("{\"case\": \"\(c.name)\", \"op\": \"\(name)\", \"median_ms\": \((ms * 1000).rounded() / 1000), \"bytes\": \(bytes), \"impl\": \"poolserve\", \"threads\": \(Pool.coreCount)}")
    }
    for c in cases where only.isEmpty || only.contains(c.name) {
        let g = geometry(c.shape, c.layout, kernel: c.kernel, stride: c.stride, padding: c.padding)
        let x: [Float] = (0..<g.inputCount).map { _ in random() }
        let gy: [Float] = (0..<g.outputCount).map { _ in random() }
        let (inBytes, outBytes) = (4 * g.inputCount, 4 * g.outputCount)
        if c.mode == "max" {
            let options = MaxOptions()
            emit(c, "forward", bytes: inBytes + outBytes) { sink += Pool.maxForward(x, geometry: g, options: options, indices: false, mask: false).output[0] }
            emit(c, "forward_indices", bytes: inBytes + 3 * outBytes) {
                sink += Pool.maxForward(x, geometry: g, options: options, indices: true, mask: false).output[0]
            }
            let indices = Pool.maxForward(x, geometry: g, options: options, indices: true, mask: false).indices!
            emit(c, "backward", bytes: 3 * outBytes + inBytes) {
                sink += try! Pool.maxBackward(gradOutput: gy, indices: indices, geometry: g, indexSpace: .plane)[0]
            }
        } else {
            let options = AvgOptions()
            emit(c, "forward", bytes: inBytes + outBytes) { sink += Pool.avgForward(x, geometry: g, options: options)[0] }
            emit(c, "backward", bytes: outBytes + inBytes) { sink += Pool.avgBackward(gradOutput: gy, geometry: g, options: options)[0] }
        }
    }
}

/// ns per window cell (geometry.work = outputs × window cells, the unit of `--max-work`).
func cellCost() {
    let windows: [(String, [Int], Layout, Int, Int, Int, Int)] = [
        ("small 2-D 3x3 s2 channels_first", [1, 64, 112, 112], .channelsFirst, 3, 2, 1, 1),
        ("small 2-D 3x3 s2 channels_last", [1, 112, 112, 64], .channelsLast, 3, 2, 1, 1),
        ("large 1-D k4096 s1", [1, 2, 8192], .channelsFirst, 4096, 1, 0, 1),
        ("large 2-D 32x32 s1", [1, 2, 96, 96], .channelsFirst, 32, 1, 0, 1),
        ("general path: 3-D 3x3x3 s1 dilation 2", [1, 8, 40, 40, 40], .channelsFirst, 3, 1, 2, 2),
        ("general path: 1-D k4096 s1 dilation 2", [1, 2, 16384], .channelsFirst, 4096, 1, 0, 2),
    ]
    for (window, shape, layout, k, s, p, dl) in windows {
        let g = geometry(shape, layout, kernel: k, stride: s, padding: p, dilation: dl)
        let x: [Float] = (0..<g.inputCount).map { _ in random() }
        let gy: [Float] = (0..<g.outputCount).map { _ in random() }
        let indices = Pool.maxForward(x, geometry: g, options: MaxOptions(), indices: true, mask: false).indices!
        let runs = g.work > 50_000_000 ? 3 : 7
        func emit(_ mode: String, _ op: String, _ body: () -> Void) {
            let ms = median(runs: runs, body)
            let ns = ms * 1e6 / Double(g.work)
            print("{\"window\": \"\(window)\", \"mode\": \"\(mode)\", \"op\": \"\(op)\", \"ns_per_cell\": \((ns * 1000).rounded() / 1000), \"median_ms\": \((ms * 1000).rounded() / 1000), \"work\": \(g.work)}")
        }
        emit("max", "forward") { sink += Pool.maxForward(x, geometry: g, options: MaxOptions(), indices: false, mask: false).output[0] }
        emit("max", "forward_indices") { sink += Pool.maxForward(x, geometry: g, options: MaxOptions(), indices: true, mask: false).output[0] }
        emit("max", "backward_input") { sink += Pool.maxBackward(gradOutput: gy, input: x, geometry: g, options: MaxOptions())[0] }
        emit("max", "backward_indices") { sink += try! Pool.maxBackward(gradOutput: gy, indices: indices, geometry: g, indexSpace: .plane)[0] }
        let split = MaxOptions(ties: .split), last = MaxOptions(ties: .last, nan: .ignore)
        emit("max ties split", "forward_indices") { sink += Pool.maxForward(x, geometry: g, options: split, indices: true, mask: false).output[0] }
        emit("max ties split", "backward_input") { sink += Pool.maxBackward(gradOutput: gy, input: x, geometry: g, options: split)[0] }
        emit("max last/ignore", "forward_indices") { sink += Pool.maxForward(x, geometry: g, options: last, indices: true, mask: true).output[0] }
        emit("max last/ignore", "backward_input") { sink += Pool.maxBackward(gradOutput: gy, input: x, geometry: g, options: last)[0] }
        emit("avg", "forward") { sink += Pool.avgForward(x, geometry: g, options: AvgOptions())[0] }
        emit("avg", "backward") { sink += Pool.avgBackward(gradOutput: gy, geometry: g, options: AvgOptions())[0] }
        for p in [3.7, 2] {
            emit("lp p=\(p)", "forward") { sink += Pool.lpForward(x, geometry: g, p: p)[0] }
            emit("lp p=\(p)", "backward") { sink += Pool.lpBackward(gradOutput: gy, input: x, geometry: g, p: p)[0] }
        }
    }
}

/// issue 18 item 4's request: lp, p 3.7, kernel 20000, stride 1 over 40000 inputs; the flag is
/// set 200 ms in, and the call's return is timed from there.
func cancelLatency() {
    let g = geometry([1, 1, 40_000], .channelsFirst, kernel: 20_000, stride: 1, padding: 0)
    let x = [Double](repeating: 1, count: g.inputCount)
    let gy = [Double](repeating: 1, count: g.outputCount)
    for op in ["forward", "backward"] {
        var latencies: [Double] = []
        for _ in 0..<5 {
            let cancellation = Cancellation()
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var ended: UInt64 = 0
            DispatchQueue.global().async {
                if op == "forward" { _ = Pool.lpForward(x, geometry: g, p: 3.7, cancellation: cancellation) } else {
                    _ = Pool.lpBackward(gradOutput: gy, input: x, geometry: g, p: 3.7, cancellation: cancellation)
                }
                ended = DispatchTime.now().uptimeNanoseconds
                done.signal()
            }
            usleep(200_000)
            let cancelled = DispatchTime.now().uptimeNanoseconds
            cancellation.cancel()
            done.wait()
            latencies.append(Double(ended - cancelled) / 1e6)
        }
        print("{\"case\": \"lp k20000 s1 over 40000, p 3.7\", \"op\": \"\(op)\", \"ms_after_cancel\": \(latencies.map { ($0 * 1000).rounded() / 1000 })}")
    }
}

#if canImport(Glibc)
import Glibc
#endif

var arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "--cell-cost" {
    cellCost()
} else if arguments.first == "--cancel-latency" {
    cancelLatency()
} else {
    var op: String?
    if let i = arguments.firstIndex(of: "--runs"), i + 1 < arguments.count, let n = Int(arguments[i + 1]) {
        timedRuns = max(1, n)
        arguments.removeSubrange(i...(i + 1))
    }
    if let i = arguments.firstIndex(of: "--op"), i + 1 < arguments.count {
        op = arguments[i + 1]
        arguments.removeSubrange(i...(i + 1))
    }
    benchmarkCases(only: Set(arguments), op: op)
}
if sink.isNaN { print("") }

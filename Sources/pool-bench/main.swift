// pool-bench: the pooling core on the cases of shared/bench/torch_baseline.py (same names,
// shapes, parameters and ops), all cores, median of 11 runs after a warm-up. Prints one JSON
// line per case and op: {"case", "op", "median_ms", "bytes"} (bytes: the op's memory floor —
// tensors read and written once).
// Usage: pool-bench [CASE ...]

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

func medianMilliseconds(_ body: () -> Void) -> Double {
    body()
    body()
    var times: [Double] = []
    for _ in 0..<11 {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    return times.sorted()[5]
}

func emit(_ c: Case, _ op: String, _ ms: Double, bytes: Int) {
    print("{\"case\": \"\(c.name)\", \"op\": \"\(op)\", \"median_ms\": \((ms * 1000).rounded() / 1000), \"bytes\": \(bytes), \"impl\": \"poolserve\", \"threads\": \(ProcessInfoCores.count)}")
}

enum ProcessInfoCores {
    static let count: Int = {
        #if canImport(Glibc)
        return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #else
        return 1
        #endif
    }()
}

#if canImport(Glibc)
import Glibc
#endif

let only = Set(CommandLine.arguments.dropFirst())
var state: UInt64 = 42
func random() -> Float {
    state = state &* 6364136223846793005 &+ 1442695040888963407
    return Float(Int64(bitPattern: state) >> 40) / Float(1 << 23)
}
var sink: Float = 0
for c in cases where only.isEmpty || only.contains(c.name) {
    let d = c.shape.count - 2
    let spec = WindowSpec.fixed(kernel: Array(repeating: c.kernel, count: d), stride: Array(repeating: c.stride, count: d),
                                padding: .symmetric(Array(repeating: c.padding, count: d)), dilation: Array(repeating: 1, count: d), ceilMode: false)
    let g = try! PoolGeometry(inputShape: c.shape, layout: c.layout, window: spec)
    let x: [Float] = (0..<g.inputCount).map { _ in random() }
    let gy: [Float] = (0..<g.outputCount).map { _ in random() }
    let (inBytes, outBytes) = (4 * g.inputCount, 4 * g.outputCount)
    if c.mode == "max" {
        let options = MaxOptions()
        emit(c, "forward", medianMilliseconds { sink += Pool.maxForward(x, geometry: g, options: options, indices: false, mask: false).output[0] },
             bytes: inBytes + outBytes)
        emit(c, "forward_indices", medianMilliseconds { sink += Pool.maxForward(x, geometry: g, options: options, indices: true, mask: false).output[0] },
             bytes: inBytes + outBytes + 2 * outBytes)
        let indices: [Int64] = Pool.maxForward(x, geometry: g, options: options, indices: true, mask: false).indices!
        emit(c, "backward", medianMilliseconds { sink += try! Pool.maxBackward(gradOutput: gy, indices: indices, geometry: g, indexSpace: .plane)[0] },
             bytes: outBytes + 2 * outBytes + inBytes)
    } else {
        let options = AvgOptions()
        emit(c, "forward", medianMilliseconds { sink += Pool.avgForward(x, geometry: g, options: options)[0] }, bytes: inBytes + outBytes)
        emit(c, "backward", medianMilliseconds { sink += Pool.avgBackward(gradOutput: gy, geometry: g, options: options)[0] }, bytes: outBytes + inBytes)
    }
}
if sink.isNaN { print("") }

// codec-bench: the tensor codec's read and write speed on float32 flat JSON, beside Foundation's
// JSONDecoder and JSONEncoder on the same text, in one run. Prints one JSON line per figure.
// Usage: codec-bench [ELEMENTS] [RUNS]

import Foundation
import TensorJSON

let elements = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 1_000_000 : 1_000_000
let runs = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 11 : 11

/// Normally distributed float32 values (Box–Muller on a fixed-seed generator).
nonisolated(unsafe) var state: UInt64 = 0x5EED
func uniform() -> Double {
    state = state &* 6364136223846793005 &+ 1442695040888963407
    return (Double(state >> 11) + 0.5) / 9007199254740992.0
}
let values: [Float] = (0..<elements).map { _ in Float((-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform())) }

// The text a Python client sends: float32 values widened to double, shortest double repr.
let text = "{\"shape\":[\(elements)],\"data\":[" + values.map { Double($0).description }.joined(separator: ",") + "]}"
let input = Array(text.utf8)

func medianSeconds(_ body: () -> Void) -> Double {
    body()
    var times: [Double] = []
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return times.sorted()[times.count / 2]
}

func report(_ name: String, bytes: Int, seconds: Double) {
    print("{\"codec\": \"\(name)\", \"MB\": \(Double(bytes) / 1e6), \"median_ms\": \((seconds * 1e5).rounded() / 100), \"MBps\": \((Double(bytes) / seconds / 1e4).rounded() / 100)}")
}

var sink = 0
let read = medianSeconds { sink &+= (try! TensorCodec.readFloat32(input)).values.count }
report("poolserve read float32 flat", bytes: input.count, seconds: read)
if CommandLine.arguments.count > 3 && CommandLine.arguments[3] == "read" { exit(0) }

var output: [UInt8] = []
let write = medianSeconds { output = TensorCodec.write(values, shape: [elements], encoding: .flat) }
report("poolserve write float32 flat", bytes: output.count, seconds: write)

struct Flat: Codable { var shape: [Int]; var data: [Float] }
let foundationInput = Data(input)
let decode = medianSeconds { sink &+= (try! JSONDecoder().decode(Flat.self, from: foundationInput)).data.count }
report("Foundation JSONDecoder float32 flat", bytes: input.count, seconds: decode)
let flat = Flat(shape: [elements], data: values)
var encoded = Data()
let encode = medianSeconds { encoded = try! JSONEncoder().encode(flat) }
report("Foundation JSONEncoder float32 flat", bytes: encoded.count, seconds: encode)

// Round trip check, so that a fast wrong codec cannot report a figure.
let back = try! TensorCodec.readFloat32(output).values
precondition(back.map(\.bitPattern) == values.map(\.bitPattern), "round trip changed values")
if sink == 0 { print("") }
let parseOnly = medianSeconds { sink &+= TensorCodec.parseOnly(input) }
report("(parse only)", bytes: input.count, seconds: parseOnly)

// The fuzz target: request bodies through the API's decoding and validation (and, when they
// are valid, the computation), native and Open Inference Protocol (JSON, and binary framing: the
// first two bytes, little-endian, are the Inference-Header-Content-Length of the rest). Any 5xx
// answer or crash is a finding.
//
// Built with `-sanitize=fuzzer,address -DFUZZING` (make fuzz), libFuzzer drives
// `LLVMFuzzerTestOneInput`. Built normally, it is a runner: `poolserve-fuzz FILE|DIR ...` sends
// every file once, so saved findings replay as regressions.

import FuzzHarness

let harness = FuzzHarness()

/// Sends `body` through every front end; stops the process on a finding.
func exercise(_ body: [UInt8]) {
    if let finding = harness.finding(body) { fatalError(finding) }
}

#if FUZZING
/// libFuzzer's entry for programs with their own `main` (SwiftPM gives executables one).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

/// libFuzzer's per-input entry (used when its own `main` is linked in).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    exercise(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

@main
struct Fuzzer {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOne(data, size) }
        exit(status)
    }
}

#if canImport(Glibc)
import Glibc
#endif
#else
import Foundation

@main
struct FuzzRunner {
    static func main() throws {
        var files: [URL] = []
        for argument in CommandLine.arguments.dropFirst() {
            let url = URL(fileURLWithPath: argument)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                files += try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil).sorted { $0.path < $1.path }
            } else {
                files.append(url)
            }
        }
        for file in files { exercise(Array(try Data(contentsOf: file))) }
        print("\(files.count) inputs replayed, none gave a 5xx or crashed")
    }
}
#endif

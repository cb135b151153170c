// The fuzz target: request bodies through the API's decoding and validation (and, when they
// are valid, the computation), native and Open Inference Protocol (JSON, and binary framing: the
// first two bytes, little-endian, are the Inference-Header-Content-Length of the rest). Any 5xx
// answer or crash is a finding.
//
// Built with `-sanitize=fuzzer,address -DFUZZING` (make fuzz), libFuzzer drives
// `LLVMFuzzerTestOneInput`. Built normally, it is a runner: `poolserve-fuzz FILE|DIR ...` sends
// every file once, so saved findings replay as regressions.

import InferenceAPI
import MicroHTTP
import PoolAPI
import PoolCore

/// Small limits, so that valid inputs stay quick while the fuzzer runs.
let limits = Limits(maxElements: 4096, maxWork: 1_000_000)
let router: Router = {
    var router = PoolService(limits: limits).router()
    InferenceService(limits: limits).register(in: &router)
    return router
}()

/// Sends `body` to both pooling endpoints; stops the process on a server error.
func exercise(_ body: [UInt8]) {
    for path in ["/pool/forward", "/pool/backward"] {
        let response = router.respond(to: Request(method: .post, path: path, headers: ["content-type": "application/json"], body: body))
        if response.status >= 500 || response.status < 200 {
            fatalError("status \(response.status) for \(path): \(String(decoding: response.body, as: UTF8.self))")
        }
        if response.status >= 400 && !response.body.starts(with: Array("{\"type\":".utf8)) {
            fatalError("error without a problem document for \(path)")
        }
    }
    var requests = [("/v2/models/pool/infer", [String: String](), body), ("/v2/models/maxpool2d_k2s2/infer", [:], body)]
    if body.count >= 2 {
        let length = Int(body[0]) | Int(body[1]) << 8
        requests.append(("/v2/models/pool/infer", ["inference-header-content-length": String(length)], Array(body.dropFirst(2))))
    }
    for (path, headers, payload) in requests {
        let response = router.respond(to: Request(method: .post, path: path, headers: headers, body: payload))
        if response.status >= 500 || response.status < 200 {
            fatalError("status \(response.status) for \(path): \(String(decoding: response.body, as: UTF8.self))")
        }
        if response.status >= 400 && !response.body.starts(with: Array("{\"error\":".utf8)) {
            fatalError("error without {\"error\"} for \(path)")
        }
    }
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

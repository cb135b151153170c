import MicroHTTP
import Pooling
import PoolCore
import RequestDecoding
import TensorJSON

extension PoolService {
    /// `POST /pool/compare`: one layer under several conventions, side by side, with which agree
    /// and the rule behind each difference.
    func compare(_ request: Request) -> Response {
        var clock = StageClock()
        let model: CompareRequestModel?, decoded: ProblemList
        do { (model, decoded) = try decode(CompareRequestModel.self, request) } catch { return error.response }
        clock.end("parse")
        guard let model else { return ProblemResponses.problems(decoded) }
        var problems = decoded
        if model.parameters.convention != nil {
            problems.add(.root / "convention", "is not allowed here: /pool/compare runs the layer under each of \"conventions\"")
        }
        let conventions = model.conventions ?? Convention.allCases
        if let opset = model.parameters.opset {
            if !conventions.contains(.onnx) { problems.add(.root / "opset", "applies only to the \"onnx\" convention, which \"conventions\" leaves out") }
            if opset > 25 { problems.add(.root / "opset", "must be an ai.onnx opset from 1 to 25, got \(opset)") }
        }
        if !problems.isEmpty { return ProblemResponses.problems(problems) }
        let base = PoolRequest(kind: model.gradOutput == nil ? .forward : .both, parameters: model.parameters, input: model.input,
                               gradOutput: model.gradOutput)
        let encoding = model.encoding ?? model.input?.encoding ?? .nested
        let cancellation = Cancellation.following(request.cancellation.onCancel)
        // Every convention's answer is held until the comparison is written: the budget is
        // reserved for all of them at the first.
        let run = executor.compare(CompareRequest(base: base, conventions: conventions), clock: &clock, cancellation: cancellation) { job, estimate, _ in
            let (value, index) = Self.answerBytes(job.dtype, encoding)
            return request.reserve(toTotal: conventions.count * estimate.bytes(valueBytes: value, indexBytes: index))
        }
        switch run {
        case .failure(let failure): return Self.response(failure, request.vocabulary).stamped(clock.stages)
        case .success(let comparison):
            var w = JSONWriter(capacity: 1 << 16)
            ComparisonWriter(comparison: comparison, encoding: encoding).write(into: &w)
            clock.end("encode")
            return Response(status: 200, contentType: "application/json", body: w.bytes).stamped(clock.stages)
        }
    }
}

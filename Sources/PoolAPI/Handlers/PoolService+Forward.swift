import MicroHTTP
import PoolCore
import TensorJSON

extension PoolService {
    /// `POST /pool/forward`: the JSON document → a core request → the executor → JSON.
    func forward(_ request: Request) -> Response {
        var clock = StageClock()
        let model: ForwardRequest?, problems: ProblemList
        do { (model, problems) = try decode(ForwardRequest.self, request) } catch { return error.response }
        clock.end("parse")
        guard let model else { return ProblemResponses.problems(problems) }
        let core = PoolRequest(kind: .forward, parameters: model.parameters, decodeProblems: problems, input: model.input,
                               returnParts: model.returnParts)
        let encoding = model.encoding ?? model.input?.encoding ?? .nested
        let wire = model.input?.dtype?.isHalfPrecision == true ? model.input?.dtype : nil
        return execute(core, request, encoding: encoding, clock: &clock) { computed, w in
            switch computed.outcome {
            case .float(let r): Self.write(r, computed.job, encoding, wire, into: &w)
            case .double(let r): Self.write(r, computed.job, encoding, wire, into: &w)
            }
        }
    }

    /// The forward's answer: the parts asked for, the drawn samples, the output shape.
    private static func write<T: FloatWireElement & TensorElement>(_ r: PoolResult<T>, _ job: PoolJob, _ encoding: TensorEncoding,
                                                                    _ wire: ElementType?, into w: inout JSONWriter) {
        let g = job.geometry
        w.byte(UInt8(ascii: "{"))
        RuleSummary.write(job.convention?.summary, into: &w)
        if let output = r.output {
            w.key("output")
            TensorWriter.write(output, shape: g.outputShape, encoding: encoding, as: wire, into: &w)
            w.byte(UInt8(ascii: ","))
        }
        if let indices = r.indices {
            w.key("indices")
            TensorWriter.write(indices, shape: g.outputShape, encoding: encoding, into: &w)
            w.byte(UInt8(ascii: ","))
        }
        if let mask = r.mask {
            w.key("mask")
            TensorWriter.write(mask, shape: g.inputShape, encoding: encoding, as: wire, into: &w)
            w.byte(UInt8(ascii: ","))
        }
        if let samples = r.samples {
            w.key("samples")
            TensorWriter.write(samples, shape: [g.batch, g.channels, g.inputSpatial.count], encoding: encoding, into: &w)
            w.byte(UInt8(ascii: ","))
        }
        w.key("outputShape")
        TensorWriter.writeShape(g.outputShape, into: &w)
        w.byte(UInt8(ascii: "}"))
    }
}

import MicroHTTP
import Pooling
import TensorJSON

extension PoolService {
    /// What a request's tensors and answer will hold, topped up onto its share of the memory
    /// budget once validation knows their shapes: the server reserved `--max-body-bytes`'
    /// factor × the body when the head arrived, which covers the body and its parse, but not a
    /// small request whose shapes imply large tensors (an avg backward from `inputShape`, a
    /// forward whose mask is the input's size). Nil when reserved (or nothing more is
    /// needed); the 503 answer naming `--max-inflight-bytes` when the budget has no room.
    static func reserveMemory(_ request: Request, tensors: Int, answer: Int) -> Response? {
        let covered = max(0, request.memory.bytes - request.body.count)
        let needed = tensors + answer
        guard needed > covered else { return nil }
        if request.reserve(needed - covered) { return nil }
        var refusal = ProblemDetails.overBudget().response
        refusal.shed = .memory
        return refusal
    }

    /// Bytes of `count` values of `dtype` (8 per value for int64 indices) once written in
    /// `encoding`: base64 is 4 characters per 3 bytes; text an upper bound per number
    /// (shortest float32 digits with sign, exponent and comma fit 16, float64 25, int64 21).
    static func answerBytes(_ count: Int, _ dtype: ComputeType, indices: Bool = false, _ encoding: TensorEncoding) -> Int {
        let size = indices || dtype == .float64 ? 8 : 4
        switch encoding {
        case .b64: return (count * size + 2) / 3 * 4 + 64
        case .flat, .nested: return count * (indices ? 21 : dtype == .float64 ? 25 : 16) + 64
        }
    }

    /// Bytes of `count` values of `dtype` in memory.
    static func tensorBytes(_ count: Int, _ dtype: ComputeType) -> Int { count * (dtype == .float64 ? 8 : 4) }
}

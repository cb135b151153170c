import MicroHTTP
import Pooling

extension Request {
    /// A kernel cancellation flag raised with the request's own signal (at the drain deadline,
    /// when the server has answered 503 for it), so that its computation stops at the next
    /// chunk instead of running on after the answer.
    public func kernelCancellation() -> Cancellation {
        let flag = Cancellation()
        cancellation.onCancel { flag.cancel() }
        return flag
    }
}

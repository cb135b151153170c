import Pooling

extension Cancellation {
    /// A kernel cancellation flag raised by a front end's own signal (a drain deadline, a
    /// client's deadline, a closed connection): `register` is given the action to run then.
    public static func following(_ register: (@escaping @Sendable () -> Void) -> Void) -> Cancellation {
        let flag = Cancellation()
        register { flag.cancel() }
        return flag
    }
}

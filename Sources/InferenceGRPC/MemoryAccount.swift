/// One call's share of the server's memory budget (the same budget the HTTP front ends use;
/// the executable wires it, so that this target does not depend on the HTTP server).
public protocol GRPCMemoryAccount: Sendable {
    /// Adds `bytes` when the budget has room; false (and nothing taken) when it has not.
    func reserve(_ bytes: Int) -> Bool
    /// Gives everything back; returns how much that was.
    @discardableResult
    func release() -> Int
}

/// An account with no budget: every reservation succeeds.
public struct UnlimitedMemoryAccount: GRPCMemoryAccount {
    public init() {}
    public func reserve(_ bytes: Int) -> Bool { true }
    public func release() -> Int { 0 }
}

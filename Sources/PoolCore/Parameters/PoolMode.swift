/// The pooling function.
public enum PoolMode: String, Codable, Sendable, CaseIterable {
    case max, avg, lp
}

/// The server as the protocol's server metadata names it, on every transport.
package enum InferenceServer {
    package static let name = "poolserve"
    package static let version = "1.0.0"
}

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import OpenAPIRuntime
import OpenAPIURLSession

/// The generated client (`Client`, with one method per operation: `forward`, `backward`,
/// `healthz`, `readyz`) and its types (`Components.Schemas.*`) come from openapi.yaml; this
/// file only builds a client for a server URL.
extension Client {
    /// A client of the poolserve at `serverURL` (e.g. `http://127.0.0.1:8080`) over URLSession.
    public init(poolserveAt serverURL: URL, session: URLSession = .shared) {
        self.init(serverURL: serverURL, transport: URLSessionTransport(configuration: .init(session: session)))
    }
}

import MicroHTTP

/// The playground: a page at `GET /` (and `/playground`) that draws how pooling routes values
/// and gradients, with every number computed by this service's own `/pool/forward` and
/// `/pool/backward`. HTML, CSS and JavaScript are embedded in the binary at build time; the page
/// loads nothing from anywhere but its own origin.
extension PoolService {
    /// The page, its style sheet and its script.
    static let playgroundPage = PlaygroundAsset(contentType: "text/html; charset=utf-8", body: PackageResources.playground_html)
    static let playgroundStyle = PlaygroundAsset(contentType: "text/css; charset=utf-8", body: PackageResources.playground_css)
    static let playgroundScript = PlaygroundAsset(contentType: "text/javascript; charset=utf-8", body: PackageResources.playground_js)

    /// What the page may load and run: its own script and style sheet, requests to its own
    /// origin; no inline script or style, no frames, no plugins, no form posts elsewhere.
    static let playgroundPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        + "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    /// Adds `GET /`, `GET /playground` and the page's two files to `router`.
    func addPlaygroundRoutes(to router: inout Router) {
        router.add(.get, "/") { Self.serve(Self.playgroundPage, $0) }
        router.add(.get, "/playground") { Self.serve(Self.playgroundPage, $0) }
        router.add(.get, "/playground.css") { Self.serve(Self.playgroundStyle, $0) }
        router.add(.get, "/playground.js") { Self.serve(Self.playgroundScript, $0) }
    }

    /// The asset, or 304 Not Modified when the request's `If-None-Match` names its tag. The
    /// browser revalidates every load (`no-cache`), so a new binary's page is never stale.
    static func serve(_ asset: PlaygroundAsset, _ request: Request) -> Response {
        let headers: [(name: String, value: String)] = [
            ("ETag", asset.etag),
            ("Cache-Control", "no-cache"),
            ("X-Content-Type-Options", "nosniff"),
            ("Content-Security-Policy", playgroundPolicy),
            ("Referrer-Policy", "no-referrer"),
        ]
        if asset.isMatched(by: request.header("if-none-match")) {
            return Response(status: 304, headers: headers)
        }
        return Response(status: 200, headers: [("Content-Type", asset.contentType)] + headers, body: asset.body)
    }
}

import InferenceAPI
import MicroHTTP
import XCTest

/// Only inference runs on the compute pool: model metadata and readiness answer on the I/O
/// threads however busy the pool is (issue 23).
final class RouteKindTests: XCTestCase {
    private func kind(_ method: HTTPMethod, _ path: String) -> RouteKind? {
        var router = Router()
        InferenceService().register(in: &router)
        guard case .route(let route) = router.match(method, path: path) else { return nil }
        return route.kind
    }

    func testOnlyInferenceIsComputed() {
        XCTAssertEqual(kind(.post, "/v2/models/pool/infer"), .compute)
        XCTAssertEqual(kind(.post, "/v2/models/pool/versions/1/infer"), .compute)
        XCTAssertEqual(kind(.get, "/v2/models/pool/ready"), .inline)
        XCTAssertEqual(kind(.get, "/v2/models/pool"), .inline)
        XCTAssertEqual(kind(.get, "/v2/models/pool/versions/1/ready"), .inline)
        XCTAssertEqual(kind(.get, "/v2/health/ready"), .inline)
        XCTAssertEqual(kind(.get, "/v2/models/pool/infer"), .inline, "a 405 is cheap too")
    }
}

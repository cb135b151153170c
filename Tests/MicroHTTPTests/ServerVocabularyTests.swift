import MicroHTTP
import TestSupport
import XCTest

/// The HTTP layer names no product: the problem types and the names of the limits in the
/// errors it answers itself come from the application's ``ServerVocabulary``.
final class ServerVocabularyTests: XCTestCase {
    func testWithoutAVocabularyTheTypeIsAboutBlankAndTheSettingIsTheConfigurations() throws {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.maxBodyBytes = 100
        var router = Router()
        router.add(.post, "/x") { _ in Response(status: 200) }
        let server = try Server(configuration: configuration, router: router)
        defer { server.stop() }
        let missing = try HTTPClient.send(port: server.port, method: "GET", path: "/nothing")
        XCTAssertEqual(missing.status, 404)
        XCTAssertTrue(missing.text.contains(#""type":"about:blank""#), missing.text)
        let large = try HTTPClient.send(port: server.port, path: "/x", body: [UInt8](repeating: 1, count: 200))
        XCTAssertEqual(large.status, 413)
        XCTAssertTrue(large.text.contains("raise it with maxBodyBytes"), large.text)
        XCTAssertFalse(large.text.contains("poolserve"), large.text)
    }

    func testTheApplicationsWordsNameTheTypeAndTheLimit() throws {
        var router = Router()
        router.vocabulary = ServerVocabulary(problemTypeBase: "https://app.example/p/", maxBodyBytes: "APP_BODY_LIMIT")
        router.add(.post, "/x") { _ in Response(status: 200) }
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.maxBodyBytes = 100
        let server = try Server(configuration: configuration, router: router)
        defer { server.stop() }
        let missing = try HTTPClient.send(port: server.port, method: "GET", path: "/nothing")
        XCTAssertTrue(missing.text.contains(#""type":"https://app.example/p/not-found""#), missing.text)
        let large = try HTTPClient.send(port: server.port, path: "/x", body: [UInt8](repeating: 1, count: 200))
        XCTAssertTrue(large.text.contains(#""type":"https://app.example/p/payload-too-large""#), large.text)
        XCTAssertTrue(large.text.contains("raise it with APP_BODY_LIMIT"), large.text)
    }

    func testAHandlerReadsTheVocabularyFromItsRequestInProcessAndOverSockets() throws {
        var router = Router()
        router.vocabulary = ServerVocabulary(maxInflightBytes: "APP_BUDGET")
        router.add(.get, "/full") { request in ProblemDetails.overBudget(request.vocabulary).response }
        XCTAssertTrue(String(decoding: router.respond(to: Request(method: .get, path: "/full")).body, as: UTF8.self).contains("APP_BUDGET"))
        XCTAssertEqual(router.restricted(to: ["/full"]).vocabulary, router.vocabulary)
        var configuration = ServerConfiguration()
        configuration.port = 0
        let server = try Server(configuration: configuration, router: router)
        defer { server.stop() }
        let r = try HTTPClient.send(port: server.port, method: "GET", path: "/full")
        XCTAssertEqual(r.status, 503)
        XCTAssertTrue(r.text.contains("(the budget is set by APP_BUDGET)"), r.text)
    }
}

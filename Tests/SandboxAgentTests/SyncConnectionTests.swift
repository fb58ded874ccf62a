import Foundation
import TestSupport
import XCTest
@testable import SandboxAgent
@testable import SandboxGenerate

extension SplitMix64: RandomNumberGenerator {}

/// RegulatorConnection against the Python stub over plain HTTP on 127.0.0.1.
final class SyncConnectionTests: XCTestCase {
    static let token = "tok-7f3a9c-platform-secret-token"
    static let secret = "hmac-shared-test-secret"
    var directory: String!
    var stub: RegulatorStub?

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "sync-tests-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        stub?.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func startStub(_ script: [[String: Any]] = []) throws -> RegulatorStub {
        let s = try RegulatorStub(directory: directory, script: script, token: Self.token, secret: Self.secret)
        stub = s
        return s
    }

    var signature: FeedSignature { FeedSignature(token: Self.token, secret: Array(Self.secret.utf8)) }

    func feedRequest(_ lines: String, key: String = "batch-1", signature: FeedSignature? = nil,
                     timeout: Double = 10) -> HTTPRequest {
        let body = Gzip.compress(Array(lines.utf8), level: 1)
        return HTTPRequest(method: .post, path: "/v1/feeds",
                           headers: (signature ?? self.signature).headers(path: "/v1/feeds", idempotencyKey: key, body: body,
                                                                          unixTime: Int64(Date().timeIntervalSince1970)) + [
                               ("Content-Type", "application/x-ndjson"), ("Content-Encoding", "gzip"),
                               ("Idempotency-Key", key)],
                           body: body, timeoutSeconds: timeout)
    }

    /// No error text may carry the credentials: they would end up in logs.
    func assertNoSecrets(_ error: TransportError, file: StaticString = #filePath, line: UInt = #line) {
        let text = error.description + " " + String(reflecting: error)
        XCTAssertFalse(text.contains(Self.token), "token leaked: \(text)", file: file, line: line)
        XCTAssertFalse(text.contains(Self.secret), "secret leaked: \(text)", file: file, line: line)
        XCTAssertFalse(text.contains("sha256="), "signature leaked: \(text)", file: file, line: line)
    }

    func expectError(_ body: () throws(TransportError) -> Void) -> TransportError? {
        do {
            try body()
            return nil
        } catch {
            return error
        }
    }

    // MARK: Keep-alive

    func testManyRequestsShareOneKeptAliveConnection() throws {
        let stub = try startStub()
        let connection = try RegulatorConnection(endpoint: RegulatorEndpoint(baseURL: stub.httpURL))
        for i in 0..<20 {
            let response: HTTPResponse
            if i % 2 == 0 {
                response = try connection.send(feedRequest("{\"n\":\(i)}\n", key: "batch-\(i)"))
            } else {
                response = try connection.send(HTTPRequest(
                    method: .get, path: "/v1/directives", query: [("after", "c \(i)&x"), ("wait", "0")],
                    headers: [("Authorization", "Bearer " + Self.token)]))
            }
            XCTAssertEqual(response.status, 200, "request \(i)")
            XCTAssertEqual(response.header("Content-Type"), "application/json")
            XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "{\"ok\":true}")
        }
        let seen = try stub.requests()
        XCTAssertEqual(seen.count, 20)
        XCTAssertEqual(Set(seen.map(\.connection)), [seen[0].connection], "the stub saw more than one connection")
        XCTAssertEqual(connection.connectionsOpened, 1)
        XCTAssertEqual(seen[1].query, [["after", "c 1&x"], ["wait", "0"]])
        XCTAssertEqual(seen[1].method, "GET")
        XCTAssertNil(seen[1].headers["expect"])
    }

    // MARK: Body and headers

    func testGzipBodyAndSignatureAreVerifiedByTheStub() throws {
        let stub = try startStub()
        let connection = try RegulatorConnection(endpoint: RegulatorEndpoint(baseURL: stub.httpURL + "/"))
        let lines = (0..<2000).map { i in "{\"uscc\":\"92510104MA6C5L2X1Q\",\"shop_name\":\"锦江老字号\(i)\"}\n" }.joined()
        let good = try connection.send(feedRequest(lines))
        XCTAssertEqual(good.status, 200)

        let wrongSecret = FeedSignature(token: Self.token, secret: Array("not-the-secret".utf8))
        XCTAssertEqual(try connection.send(feedRequest(lines, signature: wrongSecret)).status, 401)
        let wrongToken = FeedSignature(token: "someone-else", secret: Array(Self.secret.utf8))
        XCTAssertEqual(try connection.send(feedRequest(lines, signature: wrongToken)).status, 401)

        let seen = try stub.requests()
        XCTAssertEqual(seen.count, 3)
        XCTAssertEqual(seen[0].gzipOK, true)
        XCTAssertEqual(seen[0].signatureOK, true)
        XCTAssertEqual(seen[0].bearerOK, true)
        XCTAssertEqual(seen[0].body, lines)
        XCTAssertLessThan(seen[0].bodyBytes, lines.utf8.count / 4, "the body went uncompressed")
        XCTAssertEqual(seen[0].path, "/v1/feeds")
        XCTAssertEqual(seen[0].headers["idempotency-key"], "batch-1")
        XCTAssertEqual(seen[1].signatureOK, false)
        XCTAssertEqual(seen[2].bearerOK, false)
    }

    func testEmptyPostBodyIsSentAsEmpty() throws {
        let stub = try startStub()
        let connection = try RegulatorConnection(endpoint: RegulatorEndpoint(baseURL: stub.httpURL))
        let response = try connection.send(HTTPRequest(method: .post, path: "/v1/receipts",
                                                       headers: signature.headers(path: "/v1/receipts", idempotencyKey: nil, body: [],
                                                                                  unixTime: Int64(Date().timeIntervalSince1970))))
        XCTAssertEqual(response.status, 200)
        let seen = try stub.requests()
        XCTAssertEqual(seen.first?.bodyBytes, 0)
        XCTAssertEqual(seen.first?.signatureOK, true)
    }

    // MARK: Retry

    func testServiceUnavailableWithRetryAfterThenSuccess() throws {
        let stub = try startStub([["status": 503, "headers": ["Retry-After": "2"]], ["status": 200]])
        let connection = try RegulatorConnection(endpoint: RegulatorEndpoint(baseURL: stub.httpURL))
        let policy = RetryPolicy()
        var random = SplitMix64(state: 42)
        var waits: [Double] = []
        let sleep: (Double) -> Void = { waits.append($0) }  // injected: the test never really waits

        var decisions: [DeliveryDecision] = []
        var attempts = 0
        delivery: while attempts < 5 {
            attempts += 1
            let decision: DeliveryDecision
            do {
                let response = try connection.send(feedRequest("{\"n\":1}\n", key: "batch-77"))
                decision = policy.decide(response: response, failedAttempts: attempts,
                                         now: Date().timeIntervalSince1970, random: &random)
            } catch {
                decision = policy.decide(error: error, failedAttempts: attempts, random: &random)
            }
            decisions.append(decision)
            switch decision {
            case .delivered, .deadLetter: break delivery
            case .retry(let wait, _, _): sleep(wait)
            }
        }
        XCTAssertEqual(decisions.count, 2)
        guard case .retry(let wait, let failed, let reason) = decisions.first else {
            return XCTFail("first decision should be a retry, got \(decisions)")
        }
        XCTAssertGreaterThanOrEqual(wait, 2, "Retry-After: 2 was not honoured")
        XCTAssertLessThanOrEqual(wait, 2.5)
        XCTAssertEqual(failed, 1)
        XCTAssertTrue(reason.contains("503"), reason)
        XCTAssertEqual(decisions.last, .delivered)
        XCTAssertEqual(waits, [wait])
        let seen = try stub.requests()
        XCTAssertEqual(seen.map { $0.headers["idempotency-key"] }, ["batch-77", "batch-77"])
        XCTAssertEqual(Set(seen.map(\.connection)).count, 1)
    }

    // MARK: Failures

    func testSlowAnswerTimesOutAndTheNextRequestWorks() throws {
        let stub = try startStub([["status": 200, "delay": 3]])
        let connection = try RegulatorConnection(endpoint: RegulatorEndpoint(baseURL: stub.httpURL))
        let error = expectError { () throws(TransportError) in _ = try connection.send(feedRequest("{}\n", timeout: 0.5)) }
        XCTAssertEqual(error, .timeout(seconds: 0.5))
        XCTAssertTrue(error?.description.contains("timed out after 0.5 s") ?? false, "\(String(describing: error))")
        if let error { assertNoSecrets(error) }
        // The timed-out connection is dropped; the next request opens a new one and succeeds.
        XCTAssertEqual(try connection.send(feedRequest("{}\n")).status, 200)
        XCTAssertEqual(connection.connectionsOpened, 2)
    }

    func testConnectionRefusedNamesHostAndPort() throws {
        let port = try unusedLoopbackPort()
        let connection = try RegulatorConnection(endpoint: RegulatorEndpoint(baseURL: "http://127.0.0.1:\(port)"))
        let error = expectError { () throws(TransportError) in _ = try connection.send(feedRequest("{}\n")) }
        guard case .cannotConnect(let host, let p, _)? = error else {
            return XCTFail("expected cannotConnect, got \(String(describing: error))")
        }
        XCTAssertEqual(host, "127.0.0.1")
        XCTAssertEqual(p, port)
        XCTAssertTrue(error!.description.hasPrefix("cannot connect to 127.0.0.1:\(port)"), error!.description)
        assertNoSecrets(error!)
    }

    func testDroppedConnectionIsAReset() throws {
        let stub = try startStub([["action": "close"]])
        let connection = try RegulatorConnection(endpoint: RegulatorEndpoint(baseURL: stub.httpURL))
        let error = expectError { () throws(TransportError) in _ = try connection.send(feedRequest("{}\n")) }
        guard case .connectionReset? = error else {
            return XCTFail("expected connectionReset, got \(String(describing: error))")
        }
        assertNoSecrets(error!)
        XCTAssertEqual(try connection.send(feedRequest("{}\n")).status, 200)
    }

    func testOversizedAnswerIsAbandoned() throws {
        let stub = try startStub([["status": 200, "body": String(repeating: "x", count: 5000)]])
        let connection = try RegulatorConnection(endpoint: RegulatorEndpoint(baseURL: stub.httpURL, maxResponseBytes: 1000))
        let error = expectError { () throws(TransportError) in _ = try connection.send(feedRequest("{}\n")) }
        XCTAssertEqual(error, .responseTooLarge(limit: 1000))
    }

    func testHeaderWithLineBreakIsRefusedWithoutEchoingTheValue() throws {
        let stub = try startStub()
        let connection = try RegulatorConnection(endpoint: RegulatorEndpoint(baseURL: stub.httpURL))
        let request = HTTPRequest(method: .get, path: "/v1/directives",
                                  headers: [("Authorization", "Bearer " + Self.token + "\r\nX-Evil: 1")])
        let error = expectError { () throws(TransportError) in _ = try connection.send(request) }
        XCTAssertNotNil(error)
        if let error { assertNoSecrets(error) }
        XCTAssertEqual(try stub.requests().count, 0)
    }

    func testUnusableBaseURLs() {
        for url in ["ftp://127.0.0.1", "127.0.0.1:8443", "https://", "https://host:99999", "https://u:p@host",
                    "https://host/?x=1",
                    "http://localhost.evil.com", "http://127.0.0.1.nip.io"] {
            XCTAssertThrowsError(try RegulatorConnection(endpoint: RegulatorEndpoint(baseURL: url)), url) { error in
                guard case .invalidURL? = error as? TransportError else { return XCTFail("\(url): \(error)") }
            }
        }
    }

    func testBaseURLKeepsPrefixAndEncodesQuery() throws {
        let base = try BaseURL(parsing: "https://Regulator.example:8443/api/")
        XCTAssertEqual(base.host, "Regulator.example")
        XCTAssertEqual(base.port, 8443)
        XCTAssertEqual(try base.url(path: "/v1/directives", query: [("after", "a b/ü"), ("wait", "30")]),
                       "https://Regulator.example:8443/api/v1/directives?after=a%20b%2F%C3%BC&wait=30")
        XCTAssertEqual(try BaseURL(parsing: "https://[::1]").port, 443)
        XCTAssertEqual(try BaseURL(parsing: "http://[::1]:8080").host, "::1")
        XCTAssertThrowsError(try base.url(path: "v1/feeds", query: []))
    }
}

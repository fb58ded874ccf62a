import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded

// Requests straight to the application's responder, in process — what HummingbirdTesting's
// `.router` mode does, and the only mode these tests use. Written here rather than depending on
// HummingbirdTesting, whose live modes bring AsyncHTTPClient, swift-nio-http2 and
// swift-algorithms into every CI build (≈ 60 s of a 2-core machine's build from scratch) for
// nothing these tests need; the end-to-end tests already talk to the real binary over loopback.
// The names match HummingbirdTesting's, so the tests read the same.

/// How a test reaches the application: only in process, through its responder.
struct TestingSetup: Sendable {
    static var router: TestingSetup { TestingSetup() }
}

/// A response as the test sees it: head and the whole body.
struct TestResponse: Sendable {
    let head: HTTPResponse
    var status: HTTPResponse.Status { head.status }
    var headers: HTTPFields { head.headerFields }
    let body: ByteBuffer
}

protocol TestClientProtocol: Sendable {
    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse
}

extension TestClientProtocol {
    /// Sends one request and hands the response to `testCallback`, returning what it returns.
    @discardableResult
    func execute<Return>(uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer? = nil,
                         testCallback: @escaping (TestResponse) async throws -> Return = { $0 }) async throws -> Return {
        try await testCallback(try await executeRequest(uri: uri, method: method, headers: headers, body: body))
    }
}

extension ApplicationProtocol where Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
    /// Runs `test` with a client whose requests go to this application's responder.
    func test<Value>(_ setup: TestingSetup, _ test: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        try await test(RouterTestClient(responder: try await responder, logger: logger))
    }
}

/// The client: builds the `Request`, a context on a testing channel (no peer address, as a
/// request from nowhere), and collects the response's body.
struct RouterTestClient<Responder: HTTPResponder>: TestClientProtocol
where Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
    let responder: Responder
    let logger: Logger

    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        var headers = headers
        if let body { headers[.contentLength] = String(body.readableBytes) }
        let request = Request(
            head: HTTPRequest(method: method, scheme: "http", authority: "localhost", path: uri, headerFields: headers),
            body: RequestBody(buffer: body ?? ByteBuffer()))
        let context = Responder.Context(source: ApplicationRequestContextSource(channel: NIOAsyncTestingChannel(), logger: logger))
        let response: Response
        do {
            response = try await responder.respond(to: request, context: context)
        } catch {
            // As a server would answer an error the router did not turn into a response.
            response = Response(status: (error as? any HTTPResponseError)?.status ?? .internalServerError)
        }
        let collected = CollectedBody()
        try await response.body.write(collected)
        return TestResponse(head: response.head, body: collected.bytes.withLockedValue { $0 })
    }
}

/// A response body writer that keeps what is written.
private struct CollectedBody: ResponseBodyWriter {
    let bytes = NIOLockedValueBox(ByteBuffer())
    func write(_ buffer: ByteBuffer) async throws { _ = bytes.withLockedValue { $0.writeImmutableBuffer(buffer) } }
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

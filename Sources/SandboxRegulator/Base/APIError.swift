import Foundation
import Hummingbird
import SandboxWire

/// A refusal with its HTTP status and a message for the caller: `{"error": "…"}`.
///
/// Messages say what failed and what to do; they never carry a token or a secret.
public struct APIError: HTTPResponseError, Equatable {
    public let status: HTTPResponse.Status
    public let message: String
    /// The platform a refused request came from, when its token named one (for `RefusalLog`).
    public let platformID: String?

    public init(_ status: HTTPResponse.Status, _ message: String, platformID: String? = nil) {
        self.status = status; self.message = message; self.platformID = platformID
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.make(status, ["error": message])
    }
}

/// Builds `application/json` responses.
enum JSONResponse {
    static func make(_ status: HTTPResponse.Status, _ value: some Encodable) -> Response {
        let bytes = (try? WireJSON.encode(value)) ?? Array(#"{"error":"response could not be encoded"}"#.utf8)
        return make(status, bytes: bytes)
    }

    static func make(_ status: HTTPResponse.Status, bytes: [UInt8]) -> Response {
        var buffer = ByteBuffer()
        buffer.writeBytes(bytes)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: buffer))
    }
}

import Crypto
import Foundation
import Hummingbird
import SandboxCore
import SandboxPack

/// GET /v1/rulepack and POST /v1/admin/rulepack (docs/policy.md §2.6).
extension RegulatorRouter {
    /// The newest publication's envelope, with an ETag the agents poll with.
    func getRulePack(_ request: Request) async throws -> Response {
        _ = try authenticator.caller(request)
        guard let envelope = try await store.read({ try $0.latestRulePack() }) else {
            throw APIError(.notFound, "no rule pack published yet")
        }
        let body = envelope.encoded()
        let etag = Self.etag(body)
        // A 304 carries the ETag too, so a client that lost its copy of the header learns it again.
        if let asked = request.headers[.ifNoneMatch], Self.matches(asked, etag) {
            return Response(status: .notModified, headers: [.eTag: etag])
        }
        var response = JSONResponse.make(.ok, bytes: body)
        response.headers[.eTag] = etag
        return response
    }

    /// Publishes a signed pack: 201 with its envelope, 200 for a repeat of the current one.
    func postRulePack(_ request: Request) async throws -> Response {
        // A pack is at most 1 MiB; base64 makes that 1.4 MiB, plus the other fields.
        let raw = try await body(request, limit: 2 << 20)
        let upload: RulePackUpload
        do { upload = try JSONDecoder().decode(RulePackUpload.self, from: Data(raw)) } catch {
            throw APIError(.badRequest, #"body must be JSON {"content": "<base64 of the pack bytes>", "key_id": "<16 hex>", "#
                           + #""signature": "<base64 of the 64-byte Ed25519 signature>"} (the fields of PACK.sig)"#)
        }
        guard let content = Data(base64Encoded: upload.content) else {
            throw APIError(.badRequest, "`content` is not valid base64; send the pack file's exact bytes in base64")
        }
        let signature: PackSignature
        do { signature = try PackSignature(keyID: upload.keyID, base64: upload.signature) } catch {
            throw APIError(.badRequest, error.description)
        }
        let result = try await publisher.publish(content: Array(content), signature: signature, by: "admin-token")
        var response = JSONResponse.make(result.created ? .created : .ok, bytes: result.envelope.encoded())
        response.headers[.eTag] = Self.etag(result.envelope.encoded())
        return response
    }

    /// `"<first 32 hex of SHA-256 of the envelope body>"`, quoted as an entity tag is.
    static func etag(_ body: [UInt8]) -> String {
        "\"" + String(Hex.encode(SHA256.hash(data: body)).prefix(32)) + "\""
    }

    /// If-None-Match holds `*` or a list of tags; a weak tag (`W/"…"`) matches too (RFC 9110 §13.1.2).
    static func matches(_ header: String, _ etag: String) -> Bool {
        header.split(separator: ",").contains { part in
            var tag = part.trimmingCharacters(in: .whitespaces)
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag.removeFirst(2) }
            return tag == etag
        }
    }
}

import Foundation
import Hummingbird

import SandboxPack
import XCTest
@testable import SandboxRegulator

final class RulePackEndpointTests: XCTestCase {
    typealias F = RegulatorFixture

    /// The repository's Chengdu pack with the given serial (and a comment to make other bytes).
    static func pack(serial: Int, note: String = "") -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../rulepacks/chengdu-2026.1.toml").standardized
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return Array((text.replacingOccurrences(of: "version = \"2026.1\"", with: "version = \"2026.\(serial)\"")
            .replacingOccurrences(of: "serial = 1 ", with: "serial = \(serial) ") + "# \(note)\n").utf8)
    }

    static func upload(_ content: [UInt8], _ signature: PackSignature) -> ByteBuffer {
        let body = #"{"content":"\#(Data(content).base64EncodedString())","key_id":"\#(signature.keyID.hex)","signature":"\#(signature.base64)"}"#
        return F.buffer(Array(body.utf8))
    }

    func testPublishThenEveryCallerGetsTheEnvelopeWithAnETagAndA304() async throws {
        let signer = PackSigner()
        let f = try F(rulePackKeys: TrustedKeys([signer.publicKey])); defer { f.remove() }
        let pack = Self.pack(serial: 1)
        let signature = try signer.sign(pack)
        try await f.app().test(.router) { client in
            var r = try await client.execute(uri: "/v1/rulepack", method: .get, headers: F.bearer(F.tokens["A"]!))
            XCTAssertEqual(r.status, .notFound)
            XCTAssertEqual(try F.json(r)["error"] as? String, "no rule pack published yet")

            r = try await client.execute(uri: "/v1/admin/rulepack", method: .post, headers: F.admin, body: Self.upload(pack, signature))
            XCTAssertEqual(r.status, .created, F.text(r))
            let published = try PackEnvelope.decode(r.body.readableBytesView)
            XCTAssertEqual(published.serial, 1)

            r = try await client.execute(uri: "/v1/rulepack", method: .get, headers: F.bearer(F.tokens["A"]!))
            XCTAssertEqual(r.status, .ok)
            XCTAssertEqual(r.headers[.contentType], "application/json")
            let body = Array(r.body.readableBytesView)
            let envelope = try PackEnvelope.decode(body)
            XCTAssertEqual(envelope, published)
            XCTAssertEqual(envelope.packID, "chengdu")
            XCTAssertEqual(envelope.version, "2026.1")
            XCTAssertEqual(envelope.effectiveFrom, "2026-01-01")
            XCTAssertEqual(envelope.keyID, signer.keyID.hex)
            XCTAssertEqual(try envelope.contentBytes(), pack, "the exact bytes that were signed")
            XCTAssertEqual(try TrustedKeys([signer.publicKey]).verify(bytes: try envelope.contentBytes(),
                                                                      signature: try envelope.packSignature()), signer.keyID)
            // ETag: the first 32 hex digits of SHA-256 of the body, quoted.
            let etag = try XCTUnwrap(r.headers[.eTag])
            XCTAssertEqual(etag, "\"" + String(PackEnvelope.digest(body).prefix(32)) + "\"")

            var conditional = F.bearer(F.tokens["B"]!)
            conditional[.ifNoneMatch] = etag
            r = try await client.execute(uri: "/v1/rulepack", method: .get, headers: conditional)
            XCTAssertEqual(r.status, .notModified)
            XCTAssertEqual(r.headers[.eTag], etag)
            XCTAssertEqual(r.body.readableBytes, 0)
            conditional[.ifNoneMatch] = "\"0123\", W/\(etag)"
            r = try await client.execute(uri: "/v1/rulepack", method: .get, headers: conditional)
            XCTAssertEqual(r.status, .notModified, "a list, and a weak tag, match too")
            conditional[.ifNoneMatch] = "\"0123\""
            r = try await client.execute(uri: "/v1/rulepack", method: .get, headers: conditional)
            XCTAssertEqual(r.status, .ok)

            // The admin token may read it too; no token may not.
            r = try await client.execute(uri: "/v1/rulepack", method: .get, headers: F.admin)
            XCTAssertEqual(r.status, .ok)
            r = try await client.execute(uri: "/v1/rulepack", method: .get)
            XCTAssertEqual(r.status, .unauthorized)

            // A newer serial is served from then on, with another ETag.
            let pack2 = Self.pack(serial: 2)
            r = try await client.execute(uri: "/v1/admin/rulepack", method: .post, headers: F.admin,
                                         body: Self.upload(pack2, try signer.sign(pack2)))
            XCTAssertEqual(r.status, .created)
            conditional[.ifNoneMatch] = etag
            r = try await client.execute(uri: "/v1/rulepack", method: .get, headers: conditional)
            XCTAssertEqual(r.status, .ok)
            XCTAssertNotEqual(r.headers[.eTag], etag)
            XCTAssertEqual(try PackEnvelope.decode(r.body.readableBytesView).serial, 2)
        }
        let count = try await f.store.write { try $0.rulePackCount() }
        XCTAssertEqual(count, 2, "every publication is kept")
    }

    func testSerialsOnlyGoUpAndRepeatingTheCurrentPackIsANoOp() async throws {
        let signer = PackSigner()
        let f = try F(rulePackKeys: TrustedKeys([signer.publicKey])); defer { f.remove() }
        let pack1 = Self.pack(serial: 1), pack2 = Self.pack(serial: 2)
        try await f.app().test(.router) { client in
            var r = try await client.execute(uri: "/v1/admin/rulepack", method: .post, headers: F.admin,
                                             body: Self.upload(pack2, try signer.sign(pack2)))
            XCTAssertEqual(r.status, .created)
            r = try await client.execute(uri: "/v1/admin/rulepack", method: .post, headers: F.admin,
                                         body: Self.upload(pack2, try signer.sign(pack2)))
            XCTAssertEqual(r.status, .ok, "the same serial with the same bytes changes nothing")
            r = try await client.execute(uri: "/v1/admin/rulepack", method: .post, headers: F.admin,
                                         body: Self.upload(pack1, try signer.sign(pack1)))
            XCTAssertEqual(r.status, .conflict)
            XCTAssertEqual(try F.json(r)["error"] as? String,
                           "rule pack: serial 1 is not above the current serial 2 of pack chengdu (chengdu-2026.2); "
                           + "raise [pack] serial above 2, sign again and publish (a rollback is a new serial with the old content)")
            let other = Self.pack(serial: 2, note: "changed")
            r = try await client.execute(uri: "/v1/admin/rulepack", method: .post, headers: F.admin,
                                         body: Self.upload(other, try signer.sign(other)))
            XCTAssertEqual(r.status, .conflict)
            XCTAssertTrue((try F.json(r)["error"] as? String ?? "").contains("already published (chengdu-2026.2) with other content"))
            r = try await client.execute(uri: "/v1/rulepack", method: .get, headers: F.bearer(F.tokens["A"]!))
            XCTAssertEqual(try PackEnvelope.decode(r.body.readableBytesView).serial, 2)
        }
        // One row: the repeat and the refusals wrote nothing.
        let count = try await f.store.write { try $0.rulePackCount() }
        XCTAssertEqual(count, 1)
    }

    func testBadSignaturesBadPacksAndPlatformTokensAreRefused() async throws {
        let signer = PackSigner(), stranger = PackSigner()
        let f = try F(rulePackKeys: TrustedKeys([signer.publicKey])); defer { f.remove() }
        let pack = Self.pack(serial: 1)
        try await f.app().test(.router) { client in
            // Signed by a key the regulator does not trust.
            var r = try await client.execute(uri: "/v1/admin/rulepack", method: .post, headers: F.admin,
                                             body: Self.upload(pack, try stranger.sign(pack)))
            XCTAssertEqual(r.status, .unprocessableContent)
            let message = try F.json(r)["error"] as? String ?? ""
            XCTAssertTrue(message.contains("signed by key \(stranger.keyID.hex), trusted: \(signer.keyID.hex)"), message)
            // Bytes changed after signing.
            var tampered = pack
            tampered[0] = UInt8(ascii: " ")
            r = try await client.execute(uri: "/v1/admin/rulepack", method: .post, headers: F.admin,
                                         body: Self.upload(tampered, try signer.sign(pack)))
            XCTAssertEqual(r.status, .unprocessableContent)
            // Signed, but not a valid pack.
            let bad = Array(String(decoding: pack, as: UTF8.self).replacingOccurrences(of: "time_zone = \"Asia/Shanghai\"",
                                                                                       with: "time_zone = \"UTC\"").utf8)
            r = try await client.execute(uri: "/v1/admin/rulepack", method: .post, headers: F.admin,
                                         body: Self.upload(bad, try signer.sign(bad)))
            XCTAssertEqual(r.status, .badRequest)
            let refusal = try F.json(r)["error"] as? String ?? ""
            XCTAssertTrue(refusal.hasPrefix("rule pack line ") && refusal.contains(#"pack.time_zone: must be "Asia/Shanghai""#), refusal)
            // Malformed requests.
            r = try await client.execute(uri: "/v1/admin/rulepack", method: .post, headers: F.admin, body: F.buffer(Array("{}".utf8)))
            XCTAssertEqual(r.status, .badRequest)
            r = try await client.execute(uri: "/v1/admin/rulepack", method: .post, headers: F.admin,
                                         body: F.buffer(Array(#"{"content":"AAAA","key_id":"xyz","signature":"AAAA"}"#.utf8)))
            XCTAssertEqual(r.status, .badRequest)
            XCTAssertTrue(F.text(r).contains("16 lowercase hex digits"))
            // A platform may read the pack but not publish one.
            r = try await client.execute(uri: "/v1/admin/rulepack", method: .post, headers: F.bearer(F.tokens["A"]!),
                                         body: Self.upload(pack, try signer.sign(pack)))
            XCTAssertEqual(r.status, .forbidden)
            r = try await client.execute(uri: "/v1/rulepack", method: .get, headers: F.bearer(F.tokens["A"]!))
            XCTAssertEqual(r.status, .notFound, "nothing refused was stored")
        }
    }

    func testWithoutRulePackKeysPublishingIsRefusedAndSaysWhy() async throws {
        let f = try F(); defer { f.remove() }
        let signer = PackSigner()
        let pack = Self.pack(serial: 1)
        try await f.app().test(.router) { client in
            let r = try await client.execute(uri: "/v1/admin/rulepack", method: .post, headers: F.admin,
                                             body: Self.upload(pack, try signer.sign(pack)))
            XCTAssertEqual(r.status, .serviceUnavailable)
            XCTAssertTrue((try F.json(r)["error"] as? String ?? "").contains("started without --rulepack-keys"))
        }
    }
}

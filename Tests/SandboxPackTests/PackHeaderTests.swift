import Foundation
import SandboxCore
import XCTest
@testable import SandboxPack

final class PackHeaderTests: XCTestCase {
    typealias S = PackTestSupport

    func testTheChengduPackHeaderReads() throws {
        let header = try RulePackValidation.validate(try S.chengduPack(), file: "chengdu-2026.1.toml")
        XCTAssertEqual(header, PackHeader(id: "chengdu", version: "2026.1", serial: 1, effectiveFrom: CivilDate(year: 2026, month: 1, day: 1)!))
        XCTAssertEqual(header.packVersion, "chengdu-2026.1")
    }

    func refusal(_ bytes: [UInt8]) -> String {
        do { _ = try RulePackValidation.validate(bytes, file: "p.toml"); return "accepted" } catch { return error.description }
    }

    func testEachHeaderProblemIsRefusedWithItsMessage() {
        XCTAssertEqual(refusal(S.pack(["format": "format = 2"])),
                       "p.toml: [pack].format is 2; this program reads rule pack format 1: upgrade sandbox-regulator and sandbox-agent")
        XCTAssertEqual(refusal(S.pack(["id": #"id = "Chengdu""#])), "p.toml: [pack].id `Chengdu` must be 1…32 characters of a-z 0-9 -")
        XCTAssertTrue(refusal(S.pack(["id": #"id = "\#(String(repeating: "a", count: 33))""#])).contains("1…32 characters"))
        XCTAssertEqual(refusal(S.pack(["version": #"version = "\#(String(repeating: "版", count: 33))""#])),
                       "p.toml: [pack].version must be 1…32 characters, got 33")
        XCTAssertEqual(refusal(S.pack(["serial": "serial = 0"])), "p.toml: [pack].serial must be 1 or more, got 0")
        XCTAssertEqual(refusal(S.pack(["serial": #"serial = "1""#])), "p.toml: [pack].serial must be an integer")
        XCTAssertTrue(refusal(S.pack(["effective_from": #"effective_from = "2026-01-01""#]))
            .hasPrefix("p.toml: [pack].effective_from must be a TOML date"))
        XCTAssertTrue(refusal(S.pack(["effective_from": "effective_from = 2026-01-01T00:00:00"])).contains("must be a TOML date"))
        XCTAssertEqual(refusal(S.pack(["time_zone": #"time_zone = "UTC""#])), #"p.toml: [pack].time_zone must be "Asia/Shanghai", got "UTC""#)
        XCTAssertEqual(refusal(S.pack(["serial": nil])), "p.toml: [pack].serial is required")
        XCTAssertTrue(refusal(S.pack(["title": #"titel = "x""#])).hasPrefix("p.toml: [pack]: unknown key `titel`; known keys: "))
        XCTAssertEqual(refusal(Array("[calendar]\n".utf8)),
                       "p.toml: has no [pack] table; a rule pack starts with [pack] (docs/policy.md §2.2)")
    }

    func testBytesAndSyntaxAreCheckedFirst() {
        let syntax = refusal(S.pack(extra: "[calendar]\nnon_working_days = [2026-10-01\n"))
        XCTAssertTrue(syntax.hasPrefix("p.toml line 1"), syntax)
        XCTAssertTrue(syntax.contains("is not valid TOML"), syntax)
        XCTAssertTrue(refusal(S.pack() + [0xff, 0xfe]).contains("is not valid UTF-8"))
        let big = S.pack(extra: "# " + String(repeating: "x", count: RulePackValidation.maxBytes) + "\n")
        XCTAssertTrue(refusal(big).contains("a rule pack is at most 1048576 bytes"))
    }

    func testTheEnvelopeRoundTripsAndRefusesContentThatDoesNotMatchItsDigest() throws {
        let pack = try S.chengduPack()
        let signer = PackSigner()
        let header = try RulePackValidation.validate(pack)
        let envelope = PackEnvelope(header: header, content: pack, signature: try signer.sign(pack))
        let body = envelope.encoded()
        XCTAssertEqual(body, envelope.encoded(), "the same envelope is the same bytes")
        let decoded = try PackEnvelope.decode(body)
        XCTAssertEqual(decoded, envelope)
        XCTAssertEqual(try decoded.contentBytes(), pack)
        XCTAssertEqual(try TrustedKeys([signer.publicKey]).verify(bytes: try decoded.contentBytes(), signature: try decoded.packSignature()),
                       signer.keyID)
        let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        XCTAssertEqual(Set((object ?? [:]).keys), ["pack_id", "version", "serial", "format", "effective_from",
                                                        "sha256", "key_id", "signature", "content"])
        XCTAssertEqual(object?["effective_from"] as? String, "2026-01-01")

        var damaged = envelope
        damaged.content = Data(pack.dropLast()).base64EncodedString()
        XCTAssertThrowsError(try PackEnvelope.decode(damaged.encoded())) { error in
            XCTAssertTrue("\(error)".contains("does not match the content"), "\(error)")
        }
        XCTAssertThrowsError(try PackEnvelope.decode(Array(#"{"pack_id":"chengdu"}"#.utf8))) { error in
            XCTAssertTrue("\(error)".contains("is not the JSON of GET /v1/rulepack"), "\(error)")
        }
    }
}

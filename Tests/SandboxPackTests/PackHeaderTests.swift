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
        func refused(_ r: [String: String?], _ message: String, file: StaticString = #filePath, line: UInt = #line) {
            let got = refusal(S.pack(r))
            XCTAssertTrue(got.contains(message), got, file: file, line: line)
        }
        refused(["format": "format = 2"], "pack.format: this agent reads rule pack format 1; upgrade sandbox-agent to read format 2")
        refused(["id": #"id = "Chengdu""#], #"pack.id: pack ids are 1–32 lowercase letters, digits or `-`, got "Chengdu""#)
        refused(["id": #"id = "\#(String(repeating: "a", count: 33))""#], "pack ids are 1–32 lowercase letters")
        refused(["version": #"version = "\#(String(repeating: "版", count: 33))""#], "pack.version: is longer than 32 characters")
        refused(["serial": "serial = 0"], "pack.serial: must be between 1 and 2147483647, got 0")
        refused(["serial": #"serial = "1""#], "pack.serial: must be an integer, got a string")
        refused(["effective_from": #"effective_from = "2026-01-01""#], "pack.effective_from: must be a TOML date")
        refused(["effective_from": "effective_from = 2026-01-01T00:00:00"], "must be a TOML date (2026-01-01, no quotes), got a date-time")
        refused(["time_zone": #"time_zone = "UTC""#], #"pack.time_zone: must be "Asia/Shanghai""#)
        refused(["serial": nil], "pack: missing required key `serial`")
        refused(["title": #"titel = "x""#], "unknown key `titel`; known keys: ")
        XCTAssertEqual(refusal(Array("[calendar]\n".utf8)), "p.toml: missing required key `pack`\n" + refusal(Array("[calendar]\n".utf8)).split(separator: "\n").dropFirst().joined(separator: "\n"))
    }

    func testBytesAndSyntaxAreCheckedFirst() {
        let syntax = refusal(S.pack(extra: "[calendar]\nnon_working_days = [2026-10-01\n"))
        XCTAssertTrue(syntax.hasPrefix("p.toml line "), syntax)
        XCTAssertTrue(syntax.contains("is not valid TOML"), syntax)
        XCTAssertTrue(refusal(S.pack() + [0xff, 0xfe]).contains("is not valid UTF-8"))
        let big = S.pack(extra: "# " + String(repeating: "x", count: RulePackValidation.maxBytes) + "\n")
        XCTAssertTrue(refusal(big).contains("a rule pack is at most 1 MiB"))
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

import Crypto
import Foundation
import XCTest
@testable import SandboxPack

final class PackSignatureTests: XCTestCase {
    typealias S = PackTestSupport

    func testKeyIDIsTheFirstEightBytesOfTheKeysSHA256InLowercaseHex() throws {
        let raw = Array(Data(base64Encoded: S.rfcPublicKey)!)
        XCTAssertEqual(PackKeyID(rawPublicKey: raw).hex, S.rfcKeyID)
        let key = try Curve25519.Signing.PublicKey(rawRepresentation: raw)
        XCTAssertEqual(PackKeyID(publicKey: key).hex, S.rfcKeyID)
        XCTAssertNotNil(PackKeyID(hex: "21fe31dfa154a261"))
        XCTAssertNil(PackKeyID(hex: "21FE31DFA154A261"), "uppercase is not the spelling")
        XCTAssertNil(PackKeyID(hex: "21fe31dfa154a2"), "too short")
        XCTAssertNil(PackKeyID(hex: "21fe31dfa154a26g"))
    }

    func testSignerMatchesTheRFC8032VectorAndTheSignatureFileRoundTrips() throws {
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: Data(base64Encoded: S.rfcSecretKey)!)
        let signer = PackSigner(privateKey: key)
        XCTAssertEqual(signer.keyID.hex, S.rfcKeyID)
        let signature = try signer.sign([UInt8]())
        // Ed25519 is deterministic: the published signature of the empty message.
        XCTAssertEqual(signature.base64, S.rfcEmptySignature)
        let line = signature.render()
        XCTAssertEqual(line, "ed25519 \(S.rfcKeyID) \(S.rfcEmptySignature)\n")
        XCTAssertEqual(try PackSignature.parse(line), signature)
        XCTAssertEqual(try PackSignature.parse(String(line.dropLast())), signature, "the final newline is optional")
        XCTAssertEqual(try PackSignature.parse(line.replacingOccurrences(of: "\n", with: "\r\n")), signature)
    }

    func testMalformedSignatureFilesAreRefusedWithTheirReason() {
        let good = "ed25519 \(S.rfcKeyID) \(S.rfcEmptySignature)"
        func refusal(_ text: String) -> String {
            do { _ = try PackSignature.parse(text); return "accepted" } catch { return error.description }
        }
        XCTAssertTrue(refusal(good.replacingOccurrences(of: "ed25519", with: "rsa")).contains("algorithm `rsa` is not supported"))
        XCTAssertTrue(refusal("ed25519 \(S.rfcKeyID) %%%not-base64%%%").contains("not valid base64"))
        let short = Data(repeating: 7, count: 63).base64EncodedString()
        XCTAssertTrue(refusal("ed25519 \(S.rfcKeyID) \(short)").contains("64 bytes, got 63"))
        XCTAssertTrue(refusal("ed25519 ABCDEF \(S.rfcEmptySignature)").contains("16 lowercase hex digits"))
        XCTAssertTrue(refusal("ed25519 \(S.rfcKeyID)").contains("got 2 field(s)"))
        XCTAssertTrue(refusal(good + "\n" + good + "\n").contains("several"))
        XCTAssertTrue(refusal("").contains("expected one line"))
    }
}

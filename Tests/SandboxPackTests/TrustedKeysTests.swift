import Crypto
import Foundation
import XCTest
@testable import SandboxPack

final class TrustedKeysTests: XCTestCase {
    typealias S = PackTestSupport

    func testCommentsAndBlankLinesAreSkippedAndEveryKeyIsRead() throws {
        let a = PackSigner(), b = PackSigner()
        let text = "# rule pack keys\n\n" + TrustedKeys.line(for: a.publicKey, comment: "2026 key, 张三")
            + "   \n" + TrustedKeys.line(for: b.publicKey) + "# old key retired\n"
        let keys = try TrustedKeys.parse(text, file: "keys")
        XCTAssertEqual(keys.ids, [a.keyID, b.keyID])
        let pack = S.pack()
        XCTAssertEqual(try keys.verify(bytes: pack, signature: try b.sign(pack)), b.keyID)
        let windows = try TrustedKeys.parse(text.replacingOccurrences(of: "\n", with: "\r\n"), file: "keys")
        XCTAssertEqual(windows.ids, [a.keyID, b.keyID], "CRLF line ends")
    }

    func testAKeyIDThatDoesNotMatchItsKeyRefusesTheFileWithItsLine() throws {
        let a = PackSigner()
        let line = TrustedKeys.line(for: a.publicKey)
        let wrongID = a.keyID.hex == "0000000000000000" ? "1111111111111111" : "0000000000000000"
        let text = "# keys\n" + TrustedKeys.line(for: PackSigner().publicKey) + wrongID + line.dropFirst(16)
        XCTAssertThrowsError(try TrustedKeys.parse(text, file: "trusted.keys")) { error in
            let message = (error as? PackTrustError)?.description ?? ""
            XCTAssertTrue(message.hasPrefix("trusted.keys line 3: key id \(wrongID) does not match its key, whose id is \(a.keyID.hex)"), message)
        }
    }

    func testBadLinesAndEmptyFilesAreRefused() {
        func refusal(_ text: String) -> String {
            do { _ = try TrustedKeys.parse(text, file: "k"); return "accepted" } catch { return error.description }
        }
        XCTAssertEqual(refusal("# nothing\n"), "k: holds no key; add the line from the KEY.pub that `rulepack keygen` wrote")
        XCTAssertTrue(refusal("\(S.rfcKeyID)\n").hasPrefix("k line 1: expected `KEY_ID BASE64_PUBLIC_KEY [comment]`"))
        XCTAssertTrue(refusal("\(S.rfcKeyID) !!!\n").hasPrefix("k line 1: the public key is not valid base64"))
        let short = Data(repeating: 1, count: 31).base64EncodedString()
        XCTAssertTrue(refusal("\(S.rfcKeyID) \(short)\n").contains("32 bytes, got 31"))
        let twice = "\(S.rfcKeyID) \(S.rfcPublicKey)\n\(S.rfcKeyID) \(S.rfcPublicKey) again\n"
        XCTAssertTrue(refusal(twice).hasPrefix("k line 2: key \(S.rfcKeyID) is listed twice"))
    }

    func testTamperedBytesAndUntrustedSignersAreRefusedNamingBothKeys() throws {
        let trusted = PackSigner(), stranger = PackSigner()
        let keys = TrustedKeys([trusted.publicKey])
        let pack = S.pack()
        let signature = try trusted.sign(pack)
        var tampered = pack
        tampered[tampered.count - 2] ^= 0x01
        XCTAssertThrowsError(try keys.verify(bytes: tampered, signature: signature)) { error in
            XCTAssertEqual(error as? PackTrustError, .notVerified(signedBy: trusted.keyID, trusted: [trusted.keyID]))
            XCTAssertTrue("\(error)".contains("the bytes changed after signing"), "\(error)")
        }
        XCTAssertThrowsError(try keys.verify(bytes: pack, signature: try stranger.sign(pack))) { error in
            XCTAssertEqual("\(error)", "signature does not verify with any trusted key (signed by key \(stranger.keyID.hex), trusted: \(trusted.keyID.hex))")
        }
        // The key id is a label: a trusted key's signature labelled with another id still verifies as that key.
        let relabelled = try PackSignature(keyID: stranger.keyID, bytes: signature.bytes)
        XCTAssertEqual(try keys.verify(bytes: pack, signature: relabelled), trusted.keyID)
    }

    func testKeygenWritesAPrivateFileAndItsTrustedKeysLine() throws {
        let folder = try S.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/regulator-2026"
        let signer = try PackSigner.keygen(out: path, comment: "成都市场监管局 2026")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        let loaded = try PackSigner.load(path: path)
        XCTAssertEqual(loaded.keyID, signer.keyID)
        let keys = try TrustedKeys.load(path: path + ".pub")
        XCTAssertEqual(keys.ids, [signer.keyID])
        let pack = S.pack()
        XCTAssertEqual(try keys.verify(bytes: pack, signature: try loaded.sign(pack)), signer.keyID)
        XCTAssertThrowsError(try PackSigner.keygen(out: path)) { XCTAssertTrue("\($0)".contains("already exists")) }
        XCTAssertThrowsError(try PackSigner.load(path: path + ".pub")) { XCTAssertTrue("\($0)".contains("is this the .pub file?")) }
    }
}

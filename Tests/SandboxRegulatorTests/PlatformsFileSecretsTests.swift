import Foundation
import XCTest
@testable import SandboxRegulator

/// Issue 17 item 2: the regulator took secret files anyone on the machine could read. A token or
/// HMAC secret file — and the platforms file itself when it holds secrets inline — is refused
/// when others have any access or the group may write, with the file and `chmod 600` named.
final class PlatformsFileSecretsTests: XCTestCase {
    var folder: String!

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "platforms-secrets-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: folder) }

    func write(_ name: String, _ text: String, mode: Int) throws {
        let path = folder + "/" + name
        try? FileManager.default.removeItem(atPath: path)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    func expectRefused(_ file: String, mode: String, _ where_: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try PlatformsFile.load(path: folder + "/platforms.toml"), file: where_, line: line) {
            let text = "\($0)"
            XCTAssertTrue(text.contains(folder + "/" + file), text, file: where_, line: line)
            XCTAssertTrue(text.contains("mode \(mode)"), text, file: where_, line: line)
            XCTAssertTrue(text.contains("chmod 600 \(folder!)/\(file)"), text, file: where_, line: line)
            XCTAssertFalse(text.contains("s3cret"), "never the secret: \(text)", file: where_, line: line)
        }
    }

    func testSecretFilesOthersMayReadAreRefused() throws {
        try write("platforms.toml", "admin_token_file = \"admin.token\"\n[[platform]]\nid = \"A\"\ntoken_file = \"a.token\"\nhmac_secret_file = \"a.hmac\"\n", mode: 0o644)
        try write("admin.token", "adm-s3cret\n", mode: 0o600)
        try write("a.token", "tok-s3cret\n", mode: 0o600)
        try write("a.hmac", "hmac-s3cret\n", mode: 0o644)
        expectRefused("a.hmac", mode: "0644")
        try write("a.hmac", "hmac-s3cret\n", mode: 0o660)
        expectRefused("a.hmac", mode: "0660")
        try write("a.hmac", "hmac-s3cret\n", mode: 0o640)
        try write("admin.token", "adm-s3cret\n", mode: 0o604)
        expectRefused("admin.token", mode: "0604")
        try write("admin.token", "adm-s3cret\n", mode: 0o400)
        // Without inline secrets the platforms file itself may stay world-readable.
        XCTAssertEqual(try PlatformsFile.load(path: folder + "/platforms.toml").platforms.map(\.id), ["A"])
    }

    func testAPlatformsFileWithInlineSecretsIsASecretFile() throws {
        try write("platforms.toml", "admin_token = \"adm-s3cret\"\n[[platform]]\nid = \"A\"\ntoken = \"tok-s3cret\"\nhmac_secret = \"h-s3cret\"\n", mode: 0o644)
        expectRefused("platforms.toml", mode: "0644")
        try write("platforms.toml", "admin_token = \"adm-s3cret\"\n[[platform]]\nid = \"A\"\ntoken = \"tok-s3cret\"\nhmac_secret = \"h-s3cret\"\n", mode: 0o640)
        XCTAssertEqual(try PlatformsFile.load(path: folder + "/platforms.toml").platforms.map(\.id), ["A"])
    }
}

import Foundation
@testable import SandboxPack
import TestSupport

/// Packs and keys for the tests: a valid `[pack]` header with one line changed at will, and
/// RFC 8032's first Ed25519 test vector (so signatures are checked against a published value,
/// not only against this code's own signing).
enum PackTestSupport {
    /// RFC 8032 §7.1 TEST 1: secret key, public key, and the signature of the empty message.
    static let rfcSecretKey = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A="
    static let rfcPublicKey = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
    static let rfcEmptySignature = "5VZDAMNgrHKQhuLMgG6CioSHfx645dl02HPgZSJJAVVfuIIVkKM7rMYeOXAc+bRr0lv18FlbviRlUUFDjnoQCw=="
    /// First 8 bytes of SHA-256 of that public key, by Python's hashlib.
    static let rfcKeyID = "21fe31dfa154a261"

    static let headerLines = [
        "format = 1", #"id = "chengdu""#, #"version = "2026.1""#, "serial = 1",
        #"title = "测试""#, #"issuer = "测试局""#, "effective_from = 2026-01-01", #"time_zone = "Asia/Shanghai""#,
    ]

    /// The Chengdu pack with its `[pack]` table replaced by `headerLines`, with `replacing` lines
    /// swapped (by key) or dropped (nil), and `extra` appended.
    static func pack(_ replacing: [String: String?] = [:], extra: String = "") -> [UInt8] {
        var lines: [String] = []
        for line in headerLines {
            let key = String(line.split(separator: " ")[0])
            if let change = replacing[key] { if let change { lines.append(change) } } else { lines.append(line) }
        }
        let text = String(decoding: (try? chengduPack()) ?? [], as: UTF8.self)
        let start = text.range(of: "[pack]\n")!.upperBound
        let end = text.range(of: "description = \"\"\"")!.lowerBound
        return Array((String(text[..<start]) + lines.joined(separator: "\n") + "\n" + String(text[end...]) + extra).utf8)
    }

    /// The repository's Chengdu pack.
    static func chengduPack() throws -> [UInt8] { try RulePackFiles.chengdu() }

    static func temporaryFolder() throws -> String {
        let folder = NSTemporaryDirectory() + "pack-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }
}

import Foundation
import SandboxCore
import SandboxService
import TOMLKit

/// Reads the platforms file (TOML): `admin_token` or `admin_token_file` at the top, and one
/// `[[platform]]` table per platform with `id`, `token`/`token_file`, `hmac_secret`/`hmac_secret_file`.
public enum PlatformsFile {
    static let topKeys: Set<String> = ["admin_token", "admin_token_file", "platform"]
    static let platformKeys: Set<String> = ["id", "token", "token_file", "hmac_secret", "hmac_secret_file"]

    public static func load(path: String) throws(PlatformsFileError) -> PlatformDirectory {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PlatformsFileError(file: path, problem: "cannot be read; check the path given to --platforms and its permissions")
        }
        let base = (path as NSString).deletingLastPathComponent
        let (directory, inline) = try read(text: String(decoding: data, as: UTF8.self), file: path, baseDirectory: base)
        // A file with a token or secret written in it is a secret file itself (docs/security.md).
        if inline {
            do { try SecretFile.check(path) } catch {
                throw PlatformsFileError(file: path, problem: "holds secrets inline, so it is a secret file: \(error)")
            }
        }
        return directory
    }

    public static func parse(text: String, file: String, baseDirectory: String) throws(PlatformsFileError) -> PlatformDirectory {
        try read(text: text, file: file, baseDirectory: baseDirectory).directory
    }

    /// The directory, and whether any secret was written in the file itself rather than in a file of its own.
    static func read(text: String, file: String, baseDirectory: String) throws(PlatformsFileError) -> (directory: PlatformDirectory, inline: Bool) {
        func fail(_ problem: String) -> PlatformsFileError { PlatformsFileError(file: file, problem: problem) }
        let root: TOMLTable
        do { root = try TOMLTable(string: text) } catch let e as TOMLParseError {
            throw fail("is not valid TOML: \(e.description) (line \(e.source.begin.line))")
        } catch {
            throw fail("is not valid TOML: \(error)")
        }
        for key in root.keys.sorted() where !topKeys.contains(key) {
            throw fail("unknown key `\(key)`; known: admin_token, admin_token_file, [[platform]]")
        }
        var inline = root["admin_token"] != nil
        let admin = try secret(in: root, key: "admin_token", where: "top level", file: file, base: baseDirectory)
        var platforms: [PlatformCredentials] = []
        var seen: Set<String> = []
        let tables = root["platform"]?.array.map { Array($0) } ?? []
        if root["platform"] != nil && root["platform"]?.array == nil {
            throw fail("`platform` must be an array of tables written [[platform]]")
        }
        for (index, element) in tables.enumerated() {
            let place = "[[platform]] #\(index + 1)"
            guard let table = element.table else { throw fail("\(place) must be a table") }
            for key in table.keys.sorted() where !platformKeys.contains(key) {
                throw fail("\(place): unknown key `\(key)`; known: " + platformKeys.sorted().joined(separator: ", "))
            }
            guard let id = table["id"]?.string, !id.isEmpty else { throw fail("\(place): `id` is required (a string)") }
            guard PlatformID.isValid(id) else {
                throw fail("\(place): platform id `\(id)` must be 1…64 characters of A-Z a-z 0-9 - _ (as in the agent's platform_id)")
            }
            guard seen.insert(id).inserted else { throw fail("\(place): platform id `\(id)` appears twice") }
            inline = inline || table["token"] != nil || table["hmac_secret"] != nil
            let token = try secret(in: table, key: "token", where: "platform \(id)", file: file, base: baseDirectory)
            let hmac = try secret(in: table, key: "hmac_secret", where: "platform \(id)", file: file, base: baseDirectory)
            platforms.append(PlatformCredentials(id: id, token: token, hmacSecret: hmac))
        }
        return (PlatformDirectory(adminToken: admin, platforms: platforms), inline)
    }

    /// `key` inline or `key_file` (a path, relative to the platforms file); exactly one of them.
    /// Errors name the key and the file, never the secret.
    static func secret(in table: TOMLTable, key: String, where place: String, file: String, base: String) throws(PlatformsFileError) -> String {
        func fail(_ problem: String) -> PlatformsFileError { PlatformsFileError(file: file, problem: "\(place): \(problem)") }
        let inline = table[key], path = table[key + "_file"]
        switch (inline, path) {
        case (nil, nil): throw fail("`\(key)` or `\(key)_file` is required")
        case (.some, .some): throw fail("give `\(key)` or `\(key)_file`, not both")
        case (.some(let v), nil):
            guard let s = v.string, !s.isEmpty else { throw fail("`\(key)` must be a non-empty string") }
            return s
        case (nil, .some(let v)):
            guard let p = v.string, !p.isEmpty else { throw fail("`\(key)_file` must be a non-empty path") }
            let full = p.hasPrefix("/") ? p : (base.isEmpty ? p : base + "/" + p)
            let data: [UInt8]
            do { data = try SecretFile.read(full) } catch { throw fail("`\(key)_file`: \(error)") }
            // A trailing newline is what `echo secret > file` leaves; it is not part of the secret.
            let s = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !s.isEmpty else { throw fail("`\(key)_file` \(full) is empty") }
            return s
        }
    }
}

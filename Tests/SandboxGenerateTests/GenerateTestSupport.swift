import Foundation
import SandboxCore
import TestSupport
import XCTest

/// A minimal RFC 4180 reader for checking generated files (quotes, doubled quotes, CRLF).
enum GeneratedCSV {
    static func parse(_ data: [UInt8]) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field: [UInt8] = []
        var i = 0
        var quoted = false
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        while i < bytes.count {
            let b = bytes[i]
            if quoted {
                if b == 0x22 {
                    if i + 1 < bytes.count && bytes[i + 1] == 0x22 { field.append(0x22); i += 1 } else { quoted = false }
                } else {
                    field.append(b)
                }
            } else if b == 0x22 && field.isEmpty {
                quoted = true
            } else if b == 0x2C {
                row.append(String(decoding: field, as: UTF8.self)); field = []
            } else if b == 0x0A || b == 0x0D {
                if b == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
                row.append(String(decoding: field, as: UTF8.self)); field = []
                rows.append(row); row = []
            } else {
                field.append(b)
            }
            i += 1
        }
        if !field.isEmpty || !row.isEmpty { row.append(String(decoding: field, as: UTF8.self)); rows.append(row) }
        return rows
    }

    static func read(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Header row, then rows as dictionaries keyed by header name.
    static func table(_ path: String) throws -> (header: [String], rows: [[String: String]]) {
        let all = parse(try read(path))
        let header = all[0]
        return (header, all.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) })
    }
}

extension XCTestCase {
    /// A folder for generated files, removed when the test ends (they were left in /tmp, a few
    /// MB per run).
    func generatedFolder(_ name: String = #function) throws -> String {
        try temporaryFolder(prefix: "gen", name)
    }
}

import Foundation
import SandboxCore

/// The `findings.evidence_json` column: a JSON array of `{"field","expected","found"}`.
///
/// Encoded by hand so that equal evidence always gives byte-equal text: the findings diff then
/// compares stored text with new text, with no decoding on the per-merchant path.
enum EvidenceJSON {
    static func encode(_ evidence: [Evidence]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64 * evidence.count + 2)
        out.append(UInt8(ascii: "["))
        for (i, e) in evidence.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"field":"#.utf8)
            append(e.field, to: &out)
            out.append(contentsOf: #","expected":"#.utf8)
            append(e.expected, to: &out)
            out.append(contentsOf: #","found":"#.utf8)
            append(e.found, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    private static func append(_ text: String?, to out: inout [UInt8]) {
        guard let text else { return out.append(contentsOf: "null".utf8) }
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): out.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): out.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): out.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xf)])
            default: out.append(byte)  // UTF-8 passes through: readable in the sqlite3 shell
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    static func decode(_ text: String, _ what: @autoclosure () -> String) throws -> [Evidence] {
        do {
            return try JSONDecoder().decode([Evidence].self, from: Data(text.utf8))
        } catch {
            throw StateError.unreadable(what(), found: text)
        }
    }
}

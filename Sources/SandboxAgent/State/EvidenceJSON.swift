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
        // The same escaping as every report line: UTF-8 passes through, readable in sqlite3.
        JSONString.append(text, to: &out)
    }

    static func decode(_ text: String, _ what: @autoclosure () -> String) throws -> [Evidence] {
        do {
            return try JSONDecoder().decode([Evidence].self, from: Data(text.utf8))
        } catch {
            throw StateError.unreadable(what(), found: text)
        }
    }
}

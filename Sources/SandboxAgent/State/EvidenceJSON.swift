import SandboxCore
import SandboxWire

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

    /// Read with the house's byte-level parser, as JSONDecoder read it: members in any order,
    /// others ignored, `expected` and `found` absent or null for none. JSONDecoder was 1.4 % of a
    /// first policy pass, which reads the evidence of each of its 81,685 new cases (issue 16).
    static func decode(_ text: String, _ what: @autoclosure () -> String) throws -> [Evidence] {
        var bytes = text
        guard case .array(let items)? = bytes.withUTF8({ JSONValueParser.parse($0) }) else {
            throw StateError.unreadable(what(), found: text)
        }
        var evidence: [Evidence] = []
        evidence.reserveCapacity(items.count)
        for item in items {
            guard let members = item.objectValue, let field = members["field"]?.stringValue,
                  let expected = JSONValue.optional(members["expected"], \.stringValue),
                  let found = JSONValue.optional(members["found"], \.stringValue) else {
                throw StateError.unreadable(what(), found: text)
            }
            evidence.append(Evidence(field: field, expected: expected, found: found))
        }
        return evidence
    }
}

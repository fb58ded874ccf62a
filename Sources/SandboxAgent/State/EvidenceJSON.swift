import Glibc
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
        if let evidence = text.withUTF8Bytes(canonical) { return evidence }
        guard case .array(let items)? = text.withUTF8Bytes({ JSONValueParser.parse($0) }) else {
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

    /// The evidence as `encode` writes it — its members in its order, no space, no escape — read
    /// straight off the bytes; nil for anything else, which the parser above reads. Through the
    /// parser each item was an object of a dictionary of values, 15,000 instructions a case's
    /// finding: 6.5 % of the engine's thread in a first pass, which reads the evidence of each
    /// new case's findings (issue 16, session 40).
    static func canonical(_ b: UnsafeBufferPointer<UInt8>) -> [Evidence]? {
        var i = 0
        func skip(_ s: StaticString) -> Bool {
            let n = s.utf8CodeUnitCount
            guard i + n <= b.count, memcmp(b.baseAddress! + i, s.utf8Start, n) == 0 else { return false }
            i += n
            return true
        }
        /// A string without escapes or control characters (`.some(nil)` for null); nil for anything else.
        func string() -> String?? {
            if skip("null") { return .some(nil) }
            guard i < b.count, b[i] == 0x22 else { return nil }
            var end = i + 1
            while end < b.count, b[end] != 0x22 {
                if b[end] == 0x5C || b[end] < 0x20 { return nil }
                end += 1
            }
            guard end < b.count, let text = JSONValueParser.text(UnsafeBufferPointer(rebasing: b[(i + 1)..<end])) else { return nil }
            i = end + 1
            return .some(text)
        }
        guard skip("[") else { return nil }
        var evidence: [Evidence] = []
        if !skip("]") {
            repeat {
                guard skip(#"{"field":"#), case let field?? = string(), skip(#","expected":"#), let expected = string(),
                      skip(#","found":"#), let found = string(), skip("}") else { return nil }
                evidence.append(Evidence(field: field, expected: expected, found: found))
            } while skip(",")
            guard skip("]") else { return nil }
        }
        return i == b.count ? evidence : nil
    }
}

import SandboxCore

/// An association's member list as staff bring it: a CSV or text file saved from Excel (UTF-8,
/// with or without a BOM, or GB18030 as a Chinese Windows saves it — the codes are ASCII either
/// way), or codes pasted into the form. Each line holds one USCC in any of its cells (`,`, tab or
/// `;` between them); a first line without one is a header. Every other line must hold a valid
/// code: a list with a bad line is refused whole, with the lines that are wrong, rather than
/// taken in part.
struct MemberList {
    var usccs: [String] = []
    /// Line number (from 1) and what it held, for each line that is not a valid code.
    var problems: [(line: Int, text: String)] = []

    init(_ bytes: [UInt8]) {
        var seen = Set<String>()
        for (index, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let blank: Set<UInt8> = [9, 13, 32, 0xEF, 0xBB, 0xBF, UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\"")]
            guard line.contains(where: { !blank.contains($0) }) else { continue }
            let cells = line.split { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: ";") }
                .map(Self.codeText)
            if let code = cells.first(where: { USCC.check($0) == .valid }) {
                if seen.insert(code).inserted { usccs.append(code) }
            } else if index > 0 || cells.contains(where: Self.looksLikeCode) {
                problems.append((index + 1, String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
            }
        }
    }

    /// A cell as a code: ASCII letters and digits only, upper case, quotes and spaces and a BOM
    /// taken off; anything else in it (a name in Chinese) leaves it empty of a code.
    static func codeText(_ cell: ArraySlice<UInt8>) -> String {
        var t = cell
        if t.starts(with: [0xEF, 0xBB, 0xBF]) { t = t.dropFirst(3) }
        let trimmed = t.filter { $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: " ") && $0 != 13 }
        let alphanumeric = { (b: UInt8) in (48...57).contains(b) || (65...90).contains(b) || (97...122).contains(b) }
        guard trimmed.allSatisfy(alphanumeric) else { return "" }
        return String(decoding: trimmed, as: UTF8.self).uppercased()
    }

    /// Eighteen letters and digits: meant as a code, wrong or not.
    static func looksLikeCode(_ text: String) -> Bool { text.utf8.count == 18 }
}

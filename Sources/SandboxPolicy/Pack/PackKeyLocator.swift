/// Finds the line (and, for one-line strings, the column) of every key of a rule pack, for error
/// messages: TOML libraries report positions for syntax errors only.
///
/// A light scan that understands what packs use: `[table]`, `[a.b]`, `[[array]]` (counted:
/// `trigger[3]`), `[[a.b]]` inside the last `[[a]]` (`ladder[1].step[0]`), `key = value`, and
/// multi-line strings (lines inside `"""`/`'''` are skipped, so an `=` in an expression is never a
/// key). Keys inside inline tables report the line of the enclosing key.
public struct PackKeyLocator: Sendable {
    public struct Place: Hashable, Sendable {
        /// The line of the key.
        public var line: Int
        /// Where a string value's text starts: its line (the next one for `"""` followed by a
        /// line break) and column (1-based, in characters).
        public var valueLine: Int
        public var valueColumn: Int
    }

    private var places: [String: Place] = [:]

    public init(text: String) {
        var prefix = ""
        var arrayCounts: [String: Int] = [:]       // resolved array path → elements seen
        var lastIndex: [String: Int] = [:]         // array path (unresolved) → its last element index
        var inMultiline: String? = nil
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let line = Substring(raw)
            if let delimiter = inMultiline {
                if line.contains(delimiter) { inMultiline = nil }
                continue
            }
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.hasPrefix("#") || trimmed.isEmpty { continue }
            if trimmed.hasPrefix("[[") {
                let name = String(trimmed.dropFirst(2).prefix(while: { $0 != "]" })).trimmedSpaces
                let resolved = Self.resolve(name, lastIndex)
                let index = arrayCounts[resolved, default: 0]
                arrayCounts[resolved] = index + 1
                lastIndex[name] = index
                prefix = resolved + "[\(index)]"
                places[prefix] = Place(line: number, valueLine: number, valueColumn: 1)
                continue
            }
            if trimmed.hasPrefix("[") {
                let name = String(trimmed.dropFirst().prefix(while: { $0 != "]" })).trimmedSpaces
                prefix = Self.resolve(name, lastIndex)
                places[prefix] = Place(line: number, valueLine: number, valueColumn: 1)
                continue
            }
            guard let eq = trimmed.firstIndex(of: "=") else { continue }
            var key = String(trimmed[..<eq]).trimmedSpaces
            if key.count >= 2, key.first == "\"", key.last == "\"" { key = String(key.dropFirst().dropLast()) }
            let path = prefix.isEmpty ? key : prefix + "." + key
            let value = trimmed[trimmed.index(after: eq)...]
            let valueStart = value.drop(while: { $0 == " " || $0 == "\t" })
            var place = Place(line: number, valueLine: number, valueColumn: 1)
            for delimiter in ["\"\"\"", "'''"] where valueStart.hasPrefix(delimiter) {
                let rest = valueStart.dropFirst(3)
                if rest.contains(delimiter) {
                    place.valueColumn = line.distance(from: line.startIndex, to: rest.startIndex) + 1
                } else {
                    inMultiline = delimiter
                    let sameLine = rest.trimmedSpaces
                    if sameLine.isEmpty { place.valueLine = number + 1 } else {
                        place.valueColumn = line.distance(from: line.startIndex, to: rest.startIndex) + 1
                    }
                }
            }
            if inMultiline == nil, place.valueColumn == 1, let q = valueStart.first, q == "\"" || q == "'" {
                place.valueColumn = line.distance(from: line.startIndex, to: valueStart.startIndex) + 2
            }
            places[path] = place
        }
    }

    /// `ladder.step` → `ladder[1].step` when `ladder` is an array of tables whose last element is 1.
    private static func resolve(_ name: String, _ lastIndex: [String: Int]) -> String {
        let parts = name.split(separator: ".").map(String.init)
        var out = ""
        var plain = ""
        for part in parts {
            plain = plain.isEmpty ? part : plain + "." + part
            out = out.isEmpty ? part : out + "." + part
            if plain != name, let i = lastIndex[plain] { out += "[\(i)]" }
        }
        return out
    }

    /// The place of a key path such as `trigger[3].when` or `inspection.ratio_percent.sandbox`;
    /// nil when it was not written plainly (then the enclosing table's place is used).
    public func place(of path: String) -> Place? {
        var p = path
        while true {
            if let found = places[p] { return found }
            guard let cut = p.lastIndex(where: { $0 == "." || $0 == "[" }) else { return nil }
            p = String(p[..<cut])
        }
    }
}

extension StringProtocol {
    var trimmedSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return String(s)
    }
}

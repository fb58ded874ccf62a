/// Finds the line on which a `[table]` key is written, for error messages.
///
/// TOMLKit (toml++) reports positions for syntax errors only, not for values, so semantic errors
/// ("`agent.inbox` must be a string") find their line here: a light scan that tracks `[table]`
/// headers and `key =` assignments. It understands what agent.conf uses (tables and plain or
/// quoted keys); for anything fancier it returns nil and the message goes without a line.
struct KeyLocator {
    private var lines: [Int: String] = [:]   // line → "table.key"
    private var firstLine: [String: Int] = [:]

    init(text: String) {
        var table = ""
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let line = raw.drop(while: { $0 == " " || $0 == "\t" })
            if line.hasPrefix("#") || line.isEmpty { continue }
            if line.hasPrefix("[") {
                let name = line.dropFirst().prefix(while: { $0 != "]" })
                table = name.trimmingSpaces()
                if firstLine[table] == nil { firstLine[table] = number }
                continue
            }
            guard let eq = line.firstIndex(of: "=") else { continue }
            var key = line[..<eq].trimmingSpaces()
            if key.count >= 2, key.first == "\"", key.last == "\"" { key = String(key.dropFirst().dropLast()) }
            let path = table.isEmpty ? key : table + "." + key
            lines[number] = path
            if firstLine[path] == nil { firstLine[path] = number }
        }
    }

    /// The line of `table.key` (or of `[table]`), if written plainly.
    func line(of path: String) -> Int? { firstLine[path] }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return String(s)
    }
}

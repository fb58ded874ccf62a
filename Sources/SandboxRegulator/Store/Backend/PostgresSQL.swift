/// The store's SQL text as PostgreSQL reads it: SQLite's `?` (numbered in order) and `?NNN`
/// parameters become `$N`. Quoted text, quoted names and comments are copied as they are, so a
/// `?` inside a string literal stays a question mark.
///
/// A NULL parameter is sent untyped (PostgresNIO has no typed NULL), and PostgreSQL cannot type
/// `$1` in `($1 IS NULL OR uscc = $1)` from nothing; so the text is kept as a template and a NULL
/// parameter is written `$1::text` (or `::bigint`, …) as the Swift value it stood for was.
struct PostgresSQL {
    /// Text between parameters, and the number of the parameter after each piece but the last.
    let pieces: [String]
    let parameters: [Int]

    init(_ sql: String) {
        var pieces: [String] = [], parameters: [Int] = []
        let translated = Self.translate(sql)
        var rest = Substring(translated)
        while let dollar = rest.firstIndex(of: "\u{1}") {
            pieces.append(String(rest[..<dollar]))
            let digits = rest[rest.index(after: dollar)...].prefix(while: \.isNumber)
            parameters.append(Int(digits) ?? 0)
            rest = rest[digits.endIndex...]
        }
        pieces.append(String(rest))
        self.pieces = pieces
        self.parameters = parameters
        referenced = Set(parameters)
    }

    /// The parameter numbers the text uses (a bound one it does not use still goes, typed).
    let referenced: Set<Int>

    /// The text to send, with `casts[n]` (e.g. "::text") after parameter n+1 where given.
    func text(casts: [String?]) -> String {
        var out = pieces[0]
        for (i, number) in parameters.enumerated() {
            out += "$\(number)"
            if number - 1 < casts.count, let cast = casts[number - 1] { out += cast }
            out += pieces[i + 1]
        }
        return out
    }

    /// `$N` written as \u{1}N, so `init` finds the parameters without parsing quotes again.
    private static func translate(_ sql: String) -> String {
        var out = [UInt8](), next = 1
        let bytes = Array(sql.utf8)
        out.reserveCapacity(bytes.count + 16)
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            switch c {
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                // A quoted run ends at the next same quote; a doubled quote inside is two runs.
                var j = i + 1
                while j < bytes.count, bytes[j] != c { j += 1 }
                out.append(contentsOf: bytes[i..<min(j + 1, bytes.count)])
                i = j + 1
            case UInt8(ascii: "-") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "-"):
                var j = i
                while j < bytes.count, bytes[j] != UInt8(ascii: "\n") { j += 1 }
                out.append(contentsOf: bytes[i..<j])
                i = j
            case UInt8(ascii: "?"):
                var j = i + 1
                while j < bytes.count, bytes[j] >= UInt8(ascii: "0"), bytes[j] <= UInt8(ascii: "9") { j += 1 }
                out.append(1)
                if j > i + 1 {
                    out.append(contentsOf: bytes[(i + 1)..<j])
                } else {
                    out.append(contentsOf: Array(String(next).utf8))
                    next += 1
                }
                i = j
            default:
                out.append(c)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

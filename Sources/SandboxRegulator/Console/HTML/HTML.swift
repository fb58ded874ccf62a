/// A piece of HTML that is safe to send: built from literals written in the code (trusted) and
/// values interpolated into them, which are escaped unless they are `HTML` already. So a shop
/// name such as `<script>` arrives as text, by construction, and a page can only emit markup the
/// code itself spelled out — there is no way to pass a `String` through unescaped.
///
///     let row: HTML = "<td>\(shop.name)</td>"   // name escaped
///     let page: HTML = "<main>\(row)</main>"     // row kept as markup
public struct HTML: Sendable, Equatable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public private(set) var text: String

    public init(stringLiteral literal: String) { text = literal }
    public init(stringInterpolation: Interpolation) { text = stringInterpolation.text }
    public var description: String { text }

    /// Nothing: for an optional part of a page.
    public static let empty: HTML = ""

    /// Text as HTML-escaped text (also safe inside a double- or single-quoted attribute value).
    public init(text: String) { self.text = Self.escape(text) }

    /// Pieces one after another.
    public init(joining parts: some Sequence<HTML>) { text = parts.map(\.text).joined() }

    public struct Interpolation: StringInterpolationProtocol {
        var text = ""
        public init(literalCapacity: Int, interpolationCount: Int) { text.reserveCapacity(literalCapacity * 2) }
        public mutating func appendLiteral(_ literal: String) { text += literal }
        /// Markup built the same way: kept as it is.
        public mutating func appendInterpolation(_ html: HTML) { text += html.text }
        /// Any other value: its text, escaped.
        public mutating func appendInterpolation(_ value: some CustomStringConvertible) { text += HTML.escape(value.description) }
        /// An absent value shows as nothing.
        public mutating func appendInterpolation(_ value: (some CustomStringConvertible)?) {
            if let value { appendInterpolation(value) }
        }
        public mutating func appendInterpolation(_ html: HTML?) { if let html { text += html.text } }
    }

    /// `& < > " '` as character references: enough for text and quoted attribute values, which
    /// is everywhere a value goes in these pages (never into a script, a style or an unquoted
    /// attribute — the CSP forbids inline script and style anyway).
    public static func escape(_ s: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(s.unicodeScalars.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

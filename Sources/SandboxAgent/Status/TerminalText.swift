/// Text from elsewhere (the regulator's directive fields, a platform's export) made safe to print
/// on one line of a terminal: control characters become visible escapes, so a newline cannot
/// forge a second line in `audit`'s output and an ESC or CSI sequence cannot rewrite the screen.
///
/// `\n`, `\r`, `\t` and `\\` as in Swift; every other C0 or C1 control, DEL, and the
/// bidirectional overrides that reorder what is shown as `\u{XX}`. `--json` output needs none of
/// this: JSON escapes its own.
public enum TerminalText {
    public static func escaped(_ text: String) -> String {
        // Nearly always nothing to do: keep the string as it is.
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            guard needsEscape(s) else { out.append(s); continue }
            let replacement: String
            switch s {
            case "\n": replacement = "\\n"
            case "\r": replacement = "\\r"
            case "\t": replacement = "\\t"
            case "\\": replacement = "\\\\"
            default: replacement = "\\u{" + String(s.value, radix: 16, uppercase: true) + "}"
            }
            out.append(contentsOf: replacement.unicodeScalars)
        }
        return String(out)
    }

    static func needsEscape(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0..<0x20, 0x5C, 0x7F...0x9F: return true
        // LRE RLE PDF LRO RLO, LRI RLI FSI PDI: they reorder the text shown after them.
        case 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}

/// 是/否, true/false, 1/0, Y/N, yes/no (English case-insensitive).
public enum BoolField {
    static let yes = Array("是".utf8), no = Array("否".utf8), one = Array("1".utf8), zero = Array("0".utf8)
    public static let accepted = "是/否, true/false, 1/0, Y/N, yes/no"

    public static func parse(_ text: String) throws(FieldError) -> Bool {
        if FieldText.bytesEqual(text, yes) || FieldText.bytesEqual(text, one) { return true }
        if FieldText.bytesEqual(text, no) || FieldText.bytesEqual(text, zero) { return false }
        var folded = [UInt8]()
        folded.reserveCapacity(5)
        for b in text.utf8 {
            guard folded.count < 5 else { break }
            folded.append(b >= 0x41 && b <= 0x5A ? b + 32 : b)
        }
        if text.utf8.count <= 5 {
            switch String(decoding: folded, as: UTF8.self) {
            case "true", "y", "yes": return true
            case "false", "n", "no": return false
            default: break
            }
        }
        throw FieldError("expected a yes/no value (\(accepted)), got \(FieldText.quoted(text))")
    }
}

/// Integers, CNY amounts (kept in fen), years, region codes and identifiers.
public enum NumberField {
    /// An integer ≥ 0 in `range`, digits only.
    public static func integer(_ text: String, in range: ClosedRange<Int64> = 0...Int64(Int32.max))
        throws(FieldError) -> Int64 {
        guard let v = FieldText.digits(text.utf8) else {
            throw FieldError("expected a whole number ≥ 0 (digits only), got \(FieldText.quoted(text))")
        }
        guard range.contains(v) else {
            throw FieldError("expected a number in \(range.lowerBound)…\(range.upperBound), got \(v)")
        }
        return v
    }

    /// A year 1900…2100.
    public static func year(_ text: String) throws(FieldError) -> Int {
        guard let v = FieldText.digits(text.utf8), text.utf8.count == 4, (1900...2100).contains(v) else {
            throw FieldError("expected a year 1900…2100 like 2025, got \(FieldText.quoted(text))")
        }
        return Int(v)
    }

    /// An amount in CNY, `1234567.5`, `1,234,567.50`, to fen: no sign, at most 2 decimals.
    public static func fen(_ text: String) throws(FieldError) -> Int64 {
        func fail(_ why: String) -> FieldError {
            FieldError("expected an amount in CNY like 1234567.50 or 1,234,567.50 (\(why)), got \(FieldText.quoted(text))")
        }
        let u = Array(text.utf8)
        var intPart: Int64 = 0, intDigits = 0, groupDigits = 0, sawComma = false
        var i = 0
        while i < u.count, u[i] != UInt8(ascii: ".") {
            let b = u[i]
            if b == UInt8(ascii: ",") {
                // Thousands groups: 1–3 digits first, then exactly 3 between commas.
                guard intDigits > 0, sawComma ? groupDigits == 3 : groupDigits <= 3 else {
                    throw fail("misplaced thousands separator")
                }
                sawComma = true; groupDigits = 0
            } else if b >= 0x30 && b <= 0x39 {
                guard intDigits < 15 else { throw fail("too large") }
                intPart = intPart * 10 + Int64(b - 0x30); intDigits += 1; groupDigits += 1
            } else if b == UInt8(ascii: "-") {
                throw fail("must not be negative")
            } else {
                throw fail("digits only")
            }
            i += 1
        }
        guard intDigits > 0 else { throw fail("digits only") }
        if sawComma && groupDigits != 3 { throw fail("misplaced thousands separator") }
        var fraction: Int64 = 0
        if i < u.count {  // at "."
            let decimals = u[(i + 1)...]
            guard decimals.count <= 2 else { throw fail("at most 2 decimals") }
            guard !decimals.isEmpty, let d = FieldText.digits(decimals) else { throw fail("digits only") }
            fraction = decimals.count == 1 ? d * 10 : d
        }
        return intPart * 100 + fraction
    }

    /// Exactly 6 digits (GB/T 2260), e.g. 510104.
    public static func regionCode(_ text: String) throws(FieldError) -> String {
        guard text.utf8.count == 6, FieldText.digits(text.utf8) != nil else {
            throw FieldError("expected a 6-digit administrative division code like 510104, got \(FieldText.quoted(text))")
        }
        return text
    }

    /// A platform merchant id: at most 64 characters.
    public static func identifier(_ text: String, maxLength: Int = 64) throws(FieldError) -> String {
        // utf8.count ≥ scalar count, so the common ASCII case needs no scalar walk.
        if text.utf8.count > maxLength, text.unicodeScalars.count > maxLength {
            throw FieldError("expected at most \(maxLength) characters, got \(text.unicodeScalars.count)")
        }
        return text
    }

    /// A USCC shape usable as a key: 18 (or legacy 15) characters of 0-9 A-Z. Check characters
    /// are not judged here: a wrong one is a qualification finding the regulator must see.
    public static func usccShape(_ text: String) throws(FieldError) -> String {
        let u = text.utf8
        let ok = (u.count == 18 || u.count == 15)
            && FieldText.allBytes(text) { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) }
        guard ok else {
            throw FieldError("expected an 18-character unified social credit code of 0-9 and A-Z "
                + "(or a 15-digit registration number), got \(FieldText.quoted(text)) (\(text.unicodeScalars.count) characters)")
        }
        return text
    }

    /// A coded value in English or Chinese, listing the accepted spellings on failure.
    public static func coded<T: CodedValue>(_ text: String, as: T.Type) throws(FieldError) -> T {
        // Exact English spelling first: a switch on the raw value, no allocation (the common case).
        if let v = T(rawValue: text) { return v }
        guard let v = T(exportValue: text) else {
            throw FieldError("expected one of \(T.acceptedSpellings), got \(FieldText.quoted(text))")
        }
        return v
    }
}

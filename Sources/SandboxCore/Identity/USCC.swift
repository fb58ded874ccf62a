/// The unified social credit code (统一社会信用代码, GB 32100-2015) and its checks.
///
/// 18 characters over `0123456789ABCDEFGHJKLMNPQRTUWXY`; position 18 is a mod-31 check
/// character, and positions 9–17 embed a GB 11714 organization code whose own check is
/// position 17. Old individual businesses may still carry a 15-digit registration number.
public enum USCC {
    /// The code alphabet; a character's value is its index.
    public static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    /// W_i = 3^(i−1) mod 31.
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    static let organizationWeights = [3, 7, 9, 10, 5, 8, 4, 2]

    /// The outcome of checking one code; `.invalid` says what was expected.
    public enum Check: Equatable, Sendable {
        case valid
        /// A 15-digit registration number of an old individual business: accepted, to re-verify.
        case legacyRegistrationNumber
        case invalid(Problem)
    }

    public enum Problem: Equatable, Sendable, CustomStringConvertible {
        case length(Int)
        case character(position: Int, found: Character)
        case organizationCheck(expected: Character, found: Character)
        case checkCharacter(expected: Character, found: Character)

        public var description: String {
            switch self {
            case .length(let n): return "must be 18 characters, got \(n)"
            case .character(let p, let c):
                return "character \(p) '\(c)' is not allowed (0-9 and A-Y without I, O, S, V, Z)"
            case .organizationCheck(let e, let f):
                return "organization-code check (position 17) should be \(e), got \(f)"
            case .checkCharacter(let e, let f): return "check character should be \(e), got \(f)"
            }
        }
    }

    static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = Int8(i) }
        return table
    }()

    /// Checks a code as written (no trimming or case folding: a platform must export it exactly).
    public static func check(_ code: String) -> Check {
        let checked = code.utf8.withContiguousStorageIfAvailable(check(utf8:))
            ?? Array(code.utf8).withUnsafeBufferPointer(check(utf8:))
        if case .invalid(.length) = checked { return .invalid(.length(code.count)) }  // in characters, for the message
        return checked
    }

    /// The check over the code's bytes, without copying them: the verifier checks every merchant's
    /// code twice, and copying it into arrays was most of 1,750 instructions a check (issue 16,
    /// session 35). A wrong length is returned in bytes; `check(_:)` says it in characters.
    private static func check(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Check {
        if bytes.count == 15 && bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            return .legacyRegistrationNumber
        }
        guard bytes.count == 18 else { return .invalid(.length(bytes.count)) }
        // The tables through their buffers: their arrays' bounds and the globals' first-use checks
        // were another 250 instructions a check (1 % of the verifier's instructions, measured).
        return values.withUnsafeBufferPointer { values in
            weights.withUnsafeBufferPointer { weights in
                var sum = 0
                for i in 0..<17 {
                    let v = values[Int(bytes[i])]
                    guard v >= 0 else { return .invalid(.character(position: i + 1, found: Character(Unicode.Scalar(bytes[i])))) }
                    sum += Int(v) * weights[i]
                }
                guard values[Int(bytes[17])] >= 0 else {
                    return .invalid(.character(position: 18, found: Character(Unicode.Scalar(bytes[17]))))
                }
                // The organization code (positions 9–17) uses 0-9 A-Z; our alphabet is a subset.
                if let expected = organizationCheckCharacter(body: UnsafeBufferPointer(rebasing: bytes[8..<16])),
                   expected != bytes[16] {
                    return .invalid(.organizationCheck(expected: Character(Unicode.Scalar(expected)),
                                                       found: Character(Unicode.Scalar(bytes[16]))))
                }
                let expected = alphabet[(31 - sum % 31) % 31]
                guard expected == bytes[17] else {
                    return .invalid(.checkCharacter(expected: Character(Unicode.Scalar(expected)),
                                                    found: Character(Unicode.Scalar(bytes[17]))))
                }
                return .valid
            }
        }
    }

    /// Completes 17 characters with their check character; nil if a character is outside the alphabet.
    public static func withCheckCharacter(_ first17: String) -> String? {
        let bytes = Array(first17.utf8)
        guard bytes.count == 17 else { return nil }
        var sum = 0
        for i in 0..<17 {
            let v = values[Int(bytes[i])]
            guard v >= 0 else { return nil }
            sum += Int(v) * weights[i]
        }
        return first17 + String(UnicodeScalar(alphabet[(31 - sum % 31) % 31]))
    }

    /// The codes under which the registry may hold the entity a platform exported as `code`: the
    /// code itself and, when only its check character is wrong, the code with the right one — a
    /// platform's keying error the registry can settle (issue 13 correction 8).
    public static func registryKeys(_ code: String) -> [String] {
        guard case .invalid(.checkCharacter) = check(code),
              let corrected = withCheckCharacter(String(code.utf8.prefix(17))!) else { return [code] }
        return [code, corrected]
    }

    /// The GB 11714 check character for 8 body characters (0-9 → 0-9, A-Z → 10-35), or nil if
    /// a character is outside 0-9 A-Z.
    public static func organizationCheckCharacter(_ body: [UInt8]) -> UInt8? {
        body.withUnsafeBufferPointer { organizationCheckCharacter(body: $0) }
    }

    static func organizationCheckCharacter(body: UnsafeBufferPointer<UInt8>) -> UInt8? {
        guard body.count == 8 else { return nil }
        var sum = 0
        for (i, c) in body.enumerated() {
            let v: Int
            switch c {
            case 0x30...0x39: v = Int(c - 0x30)
            case 0x41...0x5A: v = Int(c - 0x41) + 10
            default: return nil
            }
            sum += v * organizationWeights[i]
        }
        switch 11 - sum % 11 {
        case 10: return UInt8(ascii: "X")
        case 11: return UInt8(ascii: "0")
        case let d: return UInt8(0x30 + d)
        }
    }

    /// Positions 3–8: the GB/T 2260 administrative division of the registering authority.
    public static func divisionCode(_ code: String) -> String? {
        return code.withUTF8Bytes { division(utf8: $0).map { String(decoding: $0, as: UTF8.self) } }
    }

    /// `divisionCode` on the code's UTF-8 bytes, without making a `String` (the policy reads it
    /// for every merchant on every pass).
    public static func division(utf8 code: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        code.count == 18 ? UnsafeBufferPointer(rebasing: code[2..<8]) : nil
    }
}

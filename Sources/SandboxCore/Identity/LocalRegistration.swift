/// Who counts as registered locally — the seed's 本地企业 (../shared/DOMAIN.md §4: sandbox admission
/// requires Chengdu registration, issue 13 correction 10). The USCC itself says where: characters
/// 3–8 are the registration authority's 行政区划代码 (GB 32100-2015), so no export column is needed.
///
/// One rule for both sides: the regulator's roster decision (RegulatorRosterRule) and the agent's
/// admission criteria (the condition field `merchant.registered_locally`) read the pack's
/// `[roster.regulator] local_divisions` through this type, so an agent never proposes an
/// enterprise the regulator must turn away for where it is registered, nor the other way round.
public struct LocalRegistration: Sendable, Equatable {
    /// Division-code prefixes (2, 4 or 6 digits; Chengdu `5101`); empty: registered anywhere counts.
    public var divisions: [String]

    public init(divisions: [String]) { self.divisions = divisions }

    /// The registration division of an 18-character code, nil for anything else. A 15-digit
    /// registration number (old 个体工商户) carries no division in characters 3–8, and a natural
    /// person has no code at all: neither is local, as the regulator has always decided.
    public static func division(of uscc: String) -> String? { USCC.divisionCode(uscc) }

    /// Whether an enterprise with this code is registered locally. Without any divisions set,
    /// every code is (the pack does not ask).
    public func holds(uscc: String) -> Bool {
        return uscc.withUTF8Bytes { holds(utf8: $0) }
    }

    /// `holds(uscc:)` on the code's UTF-8 bytes, as the policy's columns hold it (every merchant
    /// on every pass: a string per merchant was 5 % of a quiet day's pass).
    public func holds(utf8 code: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !divisions.isEmpty else { return true }
        let division = USCC.division(utf8: code) ?? UnsafeBufferPointer(start: nil, count: 0)
        return divisions.contains { prefix in
            prefix.utf8.count <= division.count && zip(prefix.utf8, division).allSatisfy { $0 == $1 }
        }
    }

    /// Why the code is not local, in the regulator's roster words; nil when it is.
    public func reason(uscc: String) -> String? {
        holds(uscc: uscc) ? nil
            : "registered in division \(Self.division(of: uscc) ?? ""), not locally (\(divisions.joined(separator: ", ")))"
    }
}

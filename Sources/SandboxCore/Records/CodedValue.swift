/// A closed set of values that exports spell in English or Chinese (企业 / enterprise).
public protocol CodedValue: RawRepresentable, CaseIterable, Hashable, Sendable, Codable where RawValue == String {
    /// The Chinese spellings accepted for each case, beside the English raw value.
    var chineseNames: [String] { get }
}

extension CodedValue {
    /// Parses an export value: the English raw value (case-insensitive) or a Chinese name.
    public init?(exportValue text: String) {
        let lowered = text.lowercased()
        for c in Self.allCases where c.rawValue == lowered || c.chineseNames.contains(text) {
            self = c
            return
        }
        return nil
    }

    /// All accepted spellings, for error messages: "enterprise/企业, individual_business/个体工商户".
    public static var acceptedSpellings: String {
        allCases.map { ([$0.rawValue] + $0.chineseNames).joined(separator: "/") }.joined(separator: ", ")
    }
}

/// One column of an export kind: its English and Chinese names, whether it is required, its type.
public struct ExportColumn: Sendable, Equatable {
    /// The value type a column carries (EXPORT-FORMAT.md); the validator parses accordingly.
    public enum FieldType: String, Sendable, Equatable {
        case text, identifier, uscc, bool, date, dateTime, decimalCNY, integer, year, regionCode, coded
    }

    /// snake_case, the JSON Lines key.
    public let english: String
    /// The documented Chinese name first, then accepted aliases (经营者名称 / 企业名称 …).
    public let chinese: [String]
    /// ● in EXPORT-FORMAT.md: a file without this column is refused as a whole.
    public let required: Bool
    public let type: FieldType

    public init(_ english: String, _ chinese: [String], required: Bool = false, _ type: FieldType = .text) {
        self.english = english; self.chinese = chinese; self.required = required; self.type = type
    }

    /// `platform_merchant_id/平台经营者ID`: how messages name a column the file does not have.
    public var displayName: String { "\(english)/\(chinese[0])" }
}

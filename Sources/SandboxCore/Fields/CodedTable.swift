/// Every accepted spelling of a coded value, built once, so per-row parsing compares strings
/// without rebuilding `allCases` and Chinese name arrays (which `CodedValue(exportValue:)` does).
public struct CodedTable<T: CodedValue>: Sendable {
    let exact: [([UInt8], T)]

    public init() {
        var e: [([UInt8], T)] = []
        for c in T.allCases {
            e.append((Array(c.rawValue.utf8), c))
            for zh in c.chineseNames { e.append((Array(zh.utf8), c)) }
        }
        exact = e
    }

    /// English case-insensitively or a Chinese name; the error lists the accepted spellings.
    public func parse(_ text: String) throws(FieldError) -> T {
        for (spelling, value) in exact where FieldText.bytesEqual(text, spelling) { return value }
        // Rare: English in another case (`Enterprise`). Fold ASCII only, as the raw values are ASCII.
        let folded = text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }
        for (spelling, value) in exact where spelling == folded { return value }
        throw FieldError("expected one of \(T.acceptedSpellings), got \(FieldText.quoted(text))")
    }
}

/// The tables of the coded columns, built on first use.
enum CodedTables {
    static let entityType = CodedTable<EntityType>()
    static let category = CodedTable<MerchantCategory>()
    static let storefrontStatus = CodedTable<StorefrontStatus>()
    static let licenceType = CodedTable<LicenceType>()
    static let eventType = CodedTable<EventType>()
    static let eventSeverity = CodedTable<EventSeverity>()
    static let receiptAction = CodedTable<ReceiptAction>()
    static let registrationStatus = CodedTable<RegistrationStatus>()
}

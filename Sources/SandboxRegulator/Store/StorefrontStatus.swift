import SandboxWire

/// Whether a storefront (a merchant record) is one the platform reported closed: its `status` is
/// `closed` or `关闭` — the predicate that fills the closed storefronts' counts
/// (RegulatorSchema.closedCounts), in SQL for a stored record and in Swift for an item the
/// intake writes, so the closed storefronts per division (`closed_storefronts`) and the
/// enterprises still trading (`enterprises.trading`, `division_enterprises.trading`) are kept by
/// one rule.
enum StorefrontStatus {
    /// 1 for a closed storefront's row, else 0 (SQLite and PostgreSQL alike); `table` prefixes
    /// the columns ("r.").
    static func closedPredicate(_ table: String = "") -> String {
        """
        CAST(CASE WHEN \(table)type = 'merchant' AND json_extract(\(table)data, '$.status') IN ('closed', '关闭') THEN 1 ELSE 0 END
             AS BIGINT)
        """
    }

    static var closedPredicate: String { closedPredicate() }

    /// What a text saying closed contains: either word, or an escape that could spell one.
    private static let hints = ["closed", "关闭", "\\u"].map { Array($0.utf8) }

    /// The same for an item's data as sent (`FeedItem.dataJSON`). Most storefronts trade: only a
    /// text that could say closed (the word, or an escaped character) is parsed.
    static func closed(kind: FeedItem.Kind, data: String) -> Bool {
        guard kind == .merchant else { return false }
        let bytes = Array(data.utf8)
        guard Self.hints.contains(where: { ByteSearch.find($0, in: bytes, from: 0) != nil }) else { return false }
        guard case .string(let status)? = JSONValue.parse(bytes)?["status"] else { return false }
        return status == "closed" || status == "关闭"
    }
}

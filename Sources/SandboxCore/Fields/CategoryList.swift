/// 经营类目 of one storefront: EXPORT-FORMAT.md lets a merchant selling several kinds list them
/// separated by `;` or `；` (`food;general`, `食品；食用农产品`). Stored and hashed in the same
/// form with English codes, so a single category reads and hashes exactly as before.
public enum CategoryList {
    /// Each part as a coded category; empty parts (a trailing `;`) are skipped, repeats kept once.
    /// The error names the bad part and what is accepted.
    public static func parse(_ text: String) throws(FieldError) -> [MerchantCategory] {
        // Nearly every storefront lists one category: without a separator's bytes (";", or
        // "；" = EF BC 9B) the text is the one part, and the split by Characters (grapheme
        // breaking, a Substring and a String a part) is skipped: it was 16 % of the ingest's
        // reader thread (issue 16, session 33).
        var out: [MerchantCategory] = []
        if !text.utf8.contains(where: { $0 == 0x3B || $0 == 0xEF }) {
            if let category = try part(text) { out.append(category) }
        } else {
            for part in text.split(whereSeparator: { $0 == ";" || $0 == "；" }) {
                if let category = try self.part(String(part)), !out.contains(category) { out.append(category) }
            }
        }
        guard !out.isEmpty else {
            throw FieldError("expected one or more categories separated by ; or ；, got \(FieldText.quoted(text))")
        }
        return out
    }

    /// One part's category; nil for an empty part.
    private static func part(_ text: String) throws(FieldError) -> MerchantCategory? {
        guard let trimmed = FieldText.trimmed(text) else { return nil }
        do { return try CodedTables.category.parse(trimmed) } catch {
            throw FieldError("category \(FieldText.quoted(trimmed)) is not known; expected one or more of "
                + "\(MerchantCategory.acceptedSpellings), separated by ; or ；")
        }
    }

    /// `food;general`: the stored and hashed form.
    public static func text(_ categories: [MerchantCategory]) -> String {
        categories.count == 1 ? categories[0].rawValue : categories.map(\.rawValue).joined(separator: ";")
    }
}

/// 经营类目 of one storefront: EXPORT-FORMAT.md lets a merchant selling several kinds list them
/// separated by `;` or `；` (`food;general`, `食品；食用农产品`). Stored and hashed in the same
/// form with English codes, so a single category reads and hashes exactly as before.
public enum CategoryList {
    /// Each part as a coded category; empty parts (a trailing `;`) are skipped, repeats kept once.
    /// The error names the bad part and what is accepted.
    public static func parse(_ text: String) throws(FieldError) -> [MerchantCategory] {
        var out: [MerchantCategory] = []
        for part in text.split(whereSeparator: { $0 == ";" || $0 == "；" }) {
            guard let trimmed = FieldText.trimmed(String(part)) else { continue }
            let category: MerchantCategory
            do { category = try CodedTables.category.parse(trimmed) } catch {
                throw FieldError("category \(FieldText.quoted(trimmed)) is not known; expected one or more of "
                    + "\(MerchantCategory.acceptedSpellings), separated by ; or ；")
            }
            if !out.contains(category) { out.append(category) }
        }
        guard !out.isEmpty else {
            throw FieldError("expected one or more categories separated by ; or ；, got \(FieldText.quoted(text))")
        }
        return out
    }

    /// `food;general`: the stored and hashed form.
    public static func text(_ categories: [MerchantCategory]) -> String {
        categories.map(\.rawValue).joined(separator: ";")
    }
}

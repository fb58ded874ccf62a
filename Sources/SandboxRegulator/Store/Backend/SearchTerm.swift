import SandboxCore
import SandboxWire

/// A row of `enterprise_search_terms`: what the console's search finds an enterprise by. The
/// intake and the registry import write them in bulk with the rows they come from (step 16
/// replaced the triggers of step 14: one place that says which terms, and one statement per batch
/// on PostgreSQL; measured side by side, the intake is no faster for it — docs/benchmarks.md
/// 2026-12-03): a USCC once
/// per enterprise, a storefront's merchant id and shop name when its record is written, a
/// registry entry's name and legal representative when it changes. A term is never taken out, so
/// a former name still finds the enterprise.
struct SearchTerm: Hashable, Comparable, Sendable {
    var term: String
    var uscc: String
    var field: String

    /// In the primary key's order, the order both engines insert them in: two nodes writing the
    /// same terms take their index locks in one order.
    static func < (a: SearchTerm, b: SearchTerm) -> Bool {
        (a.term, a.uscc, a.field) < (b.term, b.uscc, b.field)
    }

    static func uscc(_ uscc: String) -> SearchTerm { SearchTerm(term: uscc, uscc: uscc, field: "uscc") }

    /// A storefront's merchant id and shop name (read from its record's data only here, where the
    /// record is written).
    static func storefront(_ item: FeedItem, uscc: String) -> [SearchTerm] {
        var out = [SearchTerm(term: item.key, uscc: uscc, field: "platform_merchant_id")]
        if let name = JSONValue.parse(item.dataJSON.utf8)?["shop_name"]?.stringValue, !name.isEmpty {
            out.append(SearchTerm(term: name, uscc: uscc, field: "shop_name"))
        }
        return out
    }

    /// A registry entry's USCC, registered name and legal representative.
    static func registry(_ r: RegistryRecord) -> [SearchTerm] {
        var out = [uscc(r.uscc)]
        if !r.name.isEmpty { out.append(SearchTerm(term: r.name, uscc: r.uscc, field: "name")) }
        if let rep = r.legalRepresentative, !rep.isEmpty {
            out.append(SearchTerm(term: rep, uscc: r.uscc, field: "legal_representative"))
        }
        return out
    }
}

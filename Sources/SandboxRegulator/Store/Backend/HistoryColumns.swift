import SandboxWire

/// The columns of a history row (`roster_history`, `case_history`) staff filter on, copied out
/// of the item's data (kept whole beside them): what both record writers write per version.
struct HistoryColumns {
    var member: Int?
    var decision: String?
    var source: String?
    var ruleID: String?
    var state: String?

    init(_ item: FeedItem) {
        let data = JSONValue.parse(Array(item.dataJSON.utf8)) ?? .null
        if item.kind == .roster {
            if case .bool(let b)? = data["member"] { member = b ? 1 : 0 }
            decision = data["decision"]?["decision"]?.stringValue
            source = data["source"]?.stringValue
        } else {
            ruleID = data["rule_id"]?.stringValue
            state = data["state"]?.stringValue
        }
    }
}

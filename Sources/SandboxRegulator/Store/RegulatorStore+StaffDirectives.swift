import SandboxCore
import SandboxStorage
import SandboxWire

// The console's directives page and the enterprise's file (issue 14): directives with their
// receipts' state, each read from an index — the hand-issued ones from the partial index
// directives_issued_by_staff, an enterprise's from directives_by_uscc — and each directive's
// receipts by receipts_by_instruction (one probe per subquery), never a scan of the directives.
extension StoreSession {
    /// Up to `limit` directives issued by hand that `filter` admits, newest first.
    public func staffDirectives(_ filter: StaffDirectiveFilter, limit: Int) throws -> [TrackedDirective] {
        let s = try database.prepare(Self.staffDirectivesQuery)
        defer { s.reset() }
        try s.bind(all: filter.before ?? Int64.max, filter.platformID, filter.type, filter.uscc, limit)
        var out: [TrackedDirective] = []
        while try s.step() { out.append(Self.tracked(s)) }
        return out
    }

    /// The directives addressed to an enterprise by its USCC on any platform, newest first.
    public func directivesTo(uscc: String, limit: Int) throws -> [TrackedDirective] {
        let s = try database.prepare(Self.directivesToQuery)
        defer { s.reset() }
        try s.bind(all: uscc, limit)
        var out: [TrackedDirective] = []
        while try s.step() { out.append(Self.tracked(s)) }
        return out
    }

    /// The queries' text, also for the test that reads their plans.
    static let staffDirectivesQuery = """
        SELECT \(trackedColumns) FROM directives d
        WHERE d.issued_by IS NOT NULL AND d.cursor < ?1
          AND (?2 IS NULL OR d.platform_id = ?2) AND (?3 IS NULL OR d.type = ?3) AND (?4 IS NULL OR d.uscc = ?4)
        ORDER BY d.cursor DESC LIMIT ?5
        """
    static let directivesToQuery = """
        SELECT \(trackedColumns) FROM directives d WHERE d.uscc = ?1 ORDER BY d.cursor DESC LIMIT ?2
        """

    /// The newest receipt's column `name` for the directive of the row (one index probe).
    private static func newestReceipt(_ column: String) -> String {
        """
        (SELECT r.\(column) FROM receipts r WHERE r.platform_id = d.platform_id AND r.instruction_id = d.id
         ORDER BY r.at DESC, r.receipt_id DESC LIMIT 1)
        """
    }

    private static let trackedColumns = """
        d.cursor, d.id, d.type, d.platform_id, d.platform_merchant_id, d.uscc, d.payload, d.created_at, d.issued_by,
        (SELECT count(*) FROM receipts r WHERE r.platform_id = d.platform_id AND r.instruction_id = d.id),
        \(newestReceipt("action")), \(newestReceipt("at")), \(newestReceipt("note"))
        """

    private static func tracked(_ s: any SQLStatement) -> TrackedDirective {
        let directive = Directive(id: s.string(1) ?? "", cursor: s.int64(0), type: s.string(2) ?? "", platformID: s.string(3) ?? "",
                                  platformMerchantID: s.string(4), uscc: s.string(5),
                                  payload: JSONValue.parse(Array((s.string(6) ?? "null").utf8)) ?? .null,
                                  createdAt: UTCTime.rfc3339(s.int64(7)))
        return TrackedDirective(directive: directive, issuedBy: s.string(8), receipts: s.int(9), lastAction: s.string(10),
                                lastAt: s.int64OrNil(11), lastNote: s.string(12))
    }
}

/// Which hand-issued directives the console's follow page lists: newest first before `before`
/// (a cursor; nil from the newest), optionally of one platform, one type, one enterprise.
public struct StaffDirectiveFilter: Sendable, Equatable {
    public var platformID: String?
    public var type: String?
    public var uscc: String?
    public var before: Int64?

    public init(platformID: String? = nil, type: String? = nil, uscc: String? = nil, before: Int64? = nil) {
        self.platformID = platformID; self.type = type; self.uscc = uscc; self.before = before
    }
}

/// One enterprise the console's search found, with what it was found by.
public struct EnterpriseSearchHit: Sendable, Equatable {
    /// A term of `enterprise_search_terms`: the field it came from and its text.
    public struct Match: Sendable, Equatable {
        /// `uscc`, `name`, `legal_representative`, `shop_name` or `platform_merchant_id`.
        public var field: String
        public var term: String
    }

    public var uscc: String
    /// The registered name; nil when the registry does not know the code.
    public var name: String?
    public var matches: [Match]
}

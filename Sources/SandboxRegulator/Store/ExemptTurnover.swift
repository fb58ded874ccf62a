/// The small-scale exemption's turnover limit across platforms (网络交易监督管理办法 art. 8: a
/// natural person's 零星小额 exemption holds while the annual turnover of **all** its online
/// shops stays within the limit; issue 13 correction 9). Each agent sees only its own platform's
/// shops and flags one shop over the limit itself; only the regulator sees them all, so it sums
/// them per person and tells every shop's platform (a `turnover` directive). Pure: the store
/// gathers the storefronts and keeps what was sent.
///
/// A person is told by name and address: the export carries no personal identifier for natural
/// persons (EXPORT-FORMAT.md), so two shops belong to one person when their registered name and
/// registered address agree once spaces are ignored — a cautious match that can miss a person
/// whose address is written differently, never joins two people of the same name elsewhere.
public enum ExemptTurnover {
    public struct Storefront: Sendable, Equatable {
        public var platformID: String
        public var merchantID: String
        public var shopName: String
        public var name: String
        public var address: String
        public var turnoverFen: Int64
        public init(platformID: String, merchantID: String, shopName: String, name: String, address: String, turnoverFen: Int64) {
            self.platformID = platformID; self.merchantID = merchantID; self.shopName = shopName
            self.name = name; self.address = address; self.turnoverFen = turnoverFen
        }
        /// `platform␟merchant`: how a storefront is named in what the store keeps.
        public var key: String { platformID + "\u{1F}" + merchantID }
    }

    /// One person's shops on every platform (at least two: one shop is its agent's to judge).
    public struct Person: Sendable, Equatable {
        public var key: String
        public var name: String
        public var storefronts: [Storefront]
        public var totalFen: Int64 { storefronts.reduce(0) { $0 + $1.turnoverFen } }
        public func over(limitFen: Int64) -> Bool { totalFen > limitFen }
    }

    /// Name and address with every kind of space removed.
    public static func personKey(name: String, address: String) -> String {
        func squeezed(_ s: String) -> String { String(s.unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init)) }
        return squeezed(name) + "\u{1F}" + squeezed(address)
    }

    /// The people with shops on more than one storefront, in key order, each with its shops in
    /// (platform, merchant) order.
    public static func people(_ storefronts: [Storefront]) -> [Person] {
        var byKey: [String: [Storefront]] = [:]
        for s in storefronts where !s.name.isEmpty && !s.address.isEmpty {
            byKey[personKey(name: s.name, address: s.address), default: []].append(s)
        }
        return byKey.filter { $0.value.count > 1 }.sorted { $0.key < $1.key }.map { key, shops in
            Person(key: key, name: shops[0].name, storefronts: shops.sorted { $0.key < $1.key })
        }
    }

    /// What was last sent for a person (`turnover_sums`).
    public struct Kept: Sendable, Equatable {
        public var totalFen: Int64
        public var over: Bool
        /// The storefronts' keys, one a line.
        public var shops: String
        public init(totalFen: Int64, over: Bool, shops: String) { self.totalFen = totalFen; self.over = over; self.shops = shops }
    }

    /// What a sweep has to send.
    public enum Change: Sendable, Equatable {
        /// Tell every shop of the person its sum (over the limit, or no longer over it).
        case sum(Person, over: Bool)
        /// A person over the limit whose shops no longer make a pair (one closed, or its exemption
        /// ended): each shop it had hears that the sum no longer applies.
        case gone(key: String, shops: [Storefront])
    }

    /// The changes against what was sent: a person over the limit whose sum or shops changed, or
    /// who was not over it before; a person no longer over it, or no longer found, who was.
    /// Nothing for a person under the limit who never was over it.
    public static func changes(people: [Person], kept: [String: Kept], limitFen: Int64) -> [Change] {
        var out: [Change] = []
        var seen = Set<String>()
        for person in people {
            seen.insert(person.key)
            let over = person.over(limitFen: limitFen), before = kept[person.key]
            let changed = over
                ? (before.map { !$0.over || $0.totalFen != person.totalFen || $0.shops != shopsText(person.storefronts) } ?? true)
                : (before?.over ?? false)
            if changed { out.append(.sum(person, over: over)) }
        }
        for (key, before) in kept.sorted(by: { $0.key < $1.key }) where before.over && !seen.contains(key) {
            let shops = before.shops.split(separator: "\n").compactMap { k -> Storefront? in
                let parts = k.split(separator: "\u{1F}", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { return nil }
                return Storefront(platformID: parts[0], merchantID: parts[1], shopName: "", name: "", address: "", turnoverFen: 0)
            }
            out.append(.gone(key: key, shops: shops))
        }
        return out
    }

    /// The storefronts' keys as `turnover_sums` keeps them.
    public static func shopsText(_ shops: [Storefront]) -> String { shops.map(\.key).joined(separator: "\n") }
}

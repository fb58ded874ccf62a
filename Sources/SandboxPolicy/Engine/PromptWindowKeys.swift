/// The windows a prompt was issued in to one merchant ("Y2026", "E2026-07-01", "R2026-07-01").
/// Nearly every (merchant, prompt) of the ledger has one window, so the first key is kept on its
/// own, and a `String` of 15 bytes or less holds its bytes inside itself: no allocation. Further
/// keys (an annual prompt over several years) go in an array. A `Set<String>` allocated its storage
/// for each of the ledger's entries, 131,506 after a first pass at 469,000 merchants, and made the
/// ledger 24 MiB of a steady day's heap (issue 16, session 32).
public struct PromptWindowKeys: Sendable, Hashable, ExpressibleByArrayLiteral {
    private var first: String?
    /// The keys after the first, in the order they came; empty (no storage) for nearly all.
    private var more: [String] = []

    public init() {}

    public init(arrayLiteral keys: String...) {
        for key in keys { insert(key) }
    }

    public var isEmpty: Bool { first == nil }

    public func contains(_ key: String) -> Bool {
        first == key || more.contains(key)
    }

    public mutating func insert(_ key: String) {
        if first == nil { first = key } else if !contains(key) { more.append(key) }
    }

    /// Equal when they hold the same keys, in whatever order they came.
    public static func == (a: PromptWindowKeys, b: PromptWindowKeys) -> Bool { a.keys == b.keys }

    public func hash(into hasher: inout Hasher) { hasher.combine(keys) }

    private var keys: Set<String> { Set(more + (first.map { [$0] } ?? [])) }
}

/// The windows a prompt was issued in to one merchant ("Y2026", "E2026-07-01", "R2026-07-01"), as
/// one string. Nearly every (merchant, prompt) of the ledger has one window, and a key of 15 bytes
/// or less is held inside its `String`: no allocation. A `Set<String>` allocated its storage for
/// each of the ledger's entries, 131,506 after a first pass at 469,000 merchants, and made the
/// ledger 24 MiB of a steady day's 201 MiB of heap (issue 16, session 32).
public struct PromptWindowKeys: Sendable, Hashable, ExpressibleByArrayLiteral {
    /// The keys in the order they were inserted, each ended by the separator.
    private var joined = ""
    /// Never in a window key: the engine makes them from a letter and a date or a year.
    private static let separator: Character = "\u{1F}"

    public init() {}

    public init(arrayLiteral keys: String...) {
        for key in keys { insert(key) }
    }

    public var isEmpty: Bool { joined.isEmpty }

    public func contains(_ key: String) -> Bool {
        joined.split(separator: Self.separator).contains { $0 == key }
    }

    public mutating func insert(_ key: String) {
        precondition(!key.contains(Self.separator), "a prompt window key holds no U+001F")
        guard !contains(key) else { return }
        joined.append(key)
        joined.append(Self.separator)
    }

    /// Equal when they hold the same keys, in whatever order they came.
    public static func == (a: PromptWindowKeys, b: PromptWindowKeys) -> Bool { a.sorted == b.sorted }

    public func hash(into hasher: inout Hasher) { hasher.combine(sorted) }

    private var sorted: [Substring] { joined.split(separator: Self.separator).sorted() }
}

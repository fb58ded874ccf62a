import SandboxCore

/// Stored forms of the items a codec compressed lately, by their JSON: an item met again is not
/// compressed again. Compressing was a quarter of the instructions of a first pass's renderer
/// (issue 16, session 39), and four fifths of the items it compressed had been compressed before
/// in the same pass: the roster's 250,437 items are one JSON, the prompts' 131,506 three, the
/// classes' 469,000 are 30,511 (`PolicyItemCodec.Dictionary.itemsRepeat`).
///
/// Two generations of at most `generation` items each: an item found in the older one is taken
/// into the newer, and when the newer is full the older is let go. Over the class items of that
/// pass, in the order they are rendered, 2,048 a generation find 86 % of them (4,096: 90 %; one
/// generation of 2,048 emptied when full: 79 %), and hold at most 4,096 JSON lines of a few
/// hundred bytes: some 3 MB for the class items (4,096 arrays of 512 or 1,024 bytes; the
/// roster's and the prompts' are a handful), against the 250 MB a steady day may use. The state's
/// codec keeps them between passes of the running service; bounded so, they do not grow with the
/// days.
///
/// The stored form of one JSON is the same each time (the same dictionary, level and frame
/// parameters), so a remembered form is the one compressing it again would give.
struct RepeatedItems {
    static let generation = 2_048
    private var newer: [JSON: [UInt8]] = [:]
    private var older: [JSON: [UInt8]] = [:]

    /// An item's JSON as a key, with its content hash (eight bytes a step; `Hasher` over the
    /// bytes cost more than half of what compressing an item again would) and compared eight
    /// bytes a step.
    private struct JSON: Hashable {
        let hash: UInt64
        let bytes: [UInt8]

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            hash = bytes.withUnsafeBytes { ContentHashValue.of(bytes: $0) }
        }

        func hash(into hasher: inout Hasher) { hasher.combine(hash) }

        static func == (a: JSON, b: JSON) -> Bool {
            a.hash == b.hash && a.bytes.withUnsafeBufferPointer { x in b.bytes.withUnsafeBufferPointer { y in FieldText.equal(x, y) } }
        }
    }

    /// The stored form of `json`: the one remembered if it was met lately, else `make`'s.
    mutating func stored(_ json: [UInt8], orMake make: () -> [UInt8]) -> [UInt8] {
        let key = JSON(json)
        if let found = newer[key] { return found }
        let found = older[key] ?? make()
        if newer.count >= Self.generation {
            older = newer
            newer = [:]
        }
        newer[key] = found
        return found
    }
}

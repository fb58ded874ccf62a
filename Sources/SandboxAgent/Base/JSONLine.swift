import SandboxCore

/// Builds one JSON object as UTF-8 bytes, fast: reports can hold hundreds of thousands of lines,
/// and Foundation's JSONEncoder costs tens of microseconds per object. Its strings are written by
/// the core's `JSONString`, as every JSON of the house.
///
/// The object is kept closed: each member goes in before the `}` and `finished` hands out the bytes
/// themselves, not a copy with the brace appended. Its room is reserved once for a typical line:
/// a first policy pass renders about two million of them (items, audit events, outbox lines), and
/// growing each by doubling from one byte, then copying it once more to close it, was most of the
/// pass's `memmove` (issue 16, session 25).
public struct JSONLine {
    private var bytes: [UInt8]
    private var empty = true

    public init() { self.init(reserving: 256) }

    /// An object with room for `capacity` bytes, for a line known to be larger than most (an
    /// audit event that carries its record): it is not grown by doubling, copying it each time.
    public init(reserving capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
        bytes.append(0x7b)  // {
        bytes.append(0x7d)  // }
    }

    /// Keys are literals of this code: names of the wire's fields, plain ASCII that JSON needs
    /// no escape for (checked in debug builds), so their bytes go in as they are. A first policy
    /// pass writes about twenty million keys; scanning each for escapes was a third of its JSON
    /// time (issue 16).
    ///
    /// The separator, the quotes and the colon go in with the name in one append: four appends a
    /// key, each checking the array's uniqueness and room, were a third of the keys' time
    /// (a loop of 12,000,000 keys: 0.50 s against 0.34 s, `swiftc -O`; issue 16, session 30).
    private mutating func key(_ k: StaticString) {
        k.withUTF8Buffer { name in
            assert(!JSONString.anyNeedsEscape(name), "a JSON key that needs escaping: \(k)")
            let n = name.count
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n + 3) { run in
                // The closing brace gives way to the comma, or to the first member's opening quote.
                let lead: Int
                if empty {
                    bytes[bytes.count - 1] = 0x22
                    lead = 0
                } else {
                    bytes[bytes.count - 1] = 0x2c
                    run[0] = 0x22
                    lead = 1
                }
                _ = UnsafeMutableBufferPointer(rebasing: run[lead..<lead + n]).initialize(from: name)
                run[lead + n] = 0x22
                run[lead + n + 1] = 0x3a
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: run[..<(lead + n + 2)]))
            }
        }
        empty = false
    }

    /// A key known only at run time (a CSV column's header, a code, an indicator's id from the
    /// pack): escaped like any string.
    private mutating func key(named k: String) {
        separate()
        JSONString.append(k, to: &bytes)
        bytes.append(0x3a)
    }

    /// The closing brace gives way to the comma, or goes for the first member; `close` puts it back.
    private mutating func separate() {
        if empty { bytes.removeLast() } else { bytes[bytes.count - 1] = 0x2c }
        empty = false
    }

    private mutating func write(_ value: String?) {
        if let value { JSONString.append(value, to: &bytes) } else { bytes.append(contentsOf: "null".utf8) }
    }

    private mutating func write<T: BinaryInteger>(_ value: T?) {
        if let value { Self.appendDecimal(value, to: &bytes) } else { bytes.append(contentsOf: "null".utf8) }
    }

    /// An object that goes on at the end of `buffer`, which it takes over until it is handed back
    /// (`handBack`): a member's object is written in place, not built apart and copied in.
    private init(continuing buffer: inout [UInt8]) {
        bytes = []
        swap(&bytes, &buffer)
        bytes.append(0x7b)  // {
        bytes.append(0x7d)  // }
    }

    private mutating func handBack(to buffer: inout [UInt8]) { swap(&bytes, &buffer) }

    private mutating func close() { bytes.append(0x7d) }

    public mutating func add(_ k: StaticString, _ value: String?) {
        key(k)
        write(value)
        close()
    }

    /// A member whose key is known only at run time (`key(named:)`).
    public mutating func add(named k: String, _ value: String?) {
        key(named: k)
        write(value)
        close()
    }

    public mutating func add<T: BinaryInteger>(named k: String, _ value: T?) {
        key(named: k)
        write(value)
        close()
    }

    public mutating func add<T: BinaryInteger>(_ k: StaticString, _ value: T?) {
        key(k)
        write(value)
        close()
    }

    /// The number's decimal digits, written in place rather than through a `String`.
    private static func appendDecimal<T: BinaryInteger>(_ value: T, to bytes: inout [UInt8]) {
        guard let v = Int64(exactly: value) else { return bytes.append(contentsOf: String(value).utf8) }
        if v < 0 { bytes.append(0x2d) }
        var rest = v.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var i = 20
            repeat {
                i -= 1
                digits[i] = UInt8(truncatingIfNeeded: 0x30 &+ rest % 10)
                rest /= 10
            } while rest > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[i...]))
        }
    }

    public mutating func add(_ k: StaticString, _ value: Bool?) {
        key(k)
        bytes.append(contentsOf: (value.map { $0 ? "true" : "false" } ?? "null").utf8)
        close()
    }

    /// Members rendered once and spliced in (`JSONMembers`): the bytes their own `add`s write.
    public mutating func add(_ members: JSONMembers) {
        guard !members.bytes.isEmpty else { return }
        separate()
        bytes.append(contentsOf: members.bytes)
        close()
    }

    /// Adds an already-encoded JSON value (object or array).
    public mutating func add(_ k: StaticString, raw: [UInt8]) {
        key(k)
        bytes.append(contentsOf: raw)
        close()
    }

    /// Adds an object member written by `body` in place.
    public mutating func add(_ k: StaticString, object body: (inout JSONLine) -> Void) {
        key(k)
        var member = JSONLine(continuing: &bytes)
        body(&member)
        member.handBack(to: &bytes)
        close()
    }

    /// Adds an array of objects, one per element, each written by `body` in place.
    public mutating func add<Elements: Sequence>(_ k: StaticString, each elements: Elements,
                                                 _ body: (inout JSONLine, Elements.Element) -> Void) {
        key(k)
        bytes.append(0x5b)
        var first = true
        for element in elements {
            if !first { bytes.append(0x2c) }
            first = false
            var member = JSONLine(continuing: &bytes)
            body(&member, element)
            member.handBack(to: &bytes)
        }
        bytes.append(0x5d)
        close()
    }

    public mutating func add(_ k: StaticString, objects: [JSONLine]) {
        key(k)
        bytes.append(0x5b)
        for (i, o) in objects.enumerated() {
            if i > 0 { bytes.append(0x2c) }
            bytes.append(contentsOf: o.finished)
        }
        bytes.append(0x5d)
        close()
    }

    public mutating func add(_ k: StaticString, strings: [String]) {
        key(k)
        bytes.append(0x5b)
        for (i, s) in strings.enumerated() {
            if i > 0 { bytes.append(0x2c) }
            JSONString.append(s, to: &bytes)
        }
        bytes.append(0x5d)
        close()
    }

    /// The object, closed.
    public var finished: [UInt8] { bytes }
}

/// Members of an object rendered once for many lines (`"type":"sandbox","source":"agent",…`,
/// without the braces), spliced into each with one append (`JSONLine.add(_:)`). A first policy
/// pass writes 250,000 sandbox notices and 131,000 prompts whose pack texts, nulls and pass time
/// are the same in every line: written member by member, each line scanned the same texts for
/// escapes again (issue 16, session 36). The bytes are those the members' own `add`s write.
public struct JSONMembers: Sendable {
    let bytes: [UInt8]

    public init(_ body: (inout JSONLine) -> Void) {
        var j = JSONLine()
        body(&j)
        let object = j.finished
        bytes = Array(object[1..<(object.count - 1)])
    }
}

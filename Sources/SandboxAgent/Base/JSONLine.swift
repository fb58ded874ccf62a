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
        member(k, UnsafeBufferPointer(start: nil, count: 0), quoted: false, closed: false)
    }

    /// Values up to this many bytes go in with their key and the closing brace in one append
    /// (`member`); longer ones are appended apart, where one more append is nothing beside the copy.
    private static let runLimit = 1_024

    /// Writes `"k":` and `value` (in quotes when `quoted`, as it is otherwise: JSON already) and,
    /// when `closed`, the closing brace, in one append when the value is short. A member was five
    /// or six appends or stores (separator, key, quote, value, quote, brace), each checking the
    /// array's uniqueness and room and going through the generic append: a third of a first policy
    /// pass's rendering instructions (issue 16, session 39).
    private mutating func member(_ k: StaticString, _ value: UnsafeBufferPointer<UInt8>, quoted: Bool, closed: Bool = true) {
        k.withUTF8Buffer { name in
            assert(!JSONString.anyNeedsEscape(name), "a JSON key that needs escaping: \(k)")
            let n = name.count
            let inline = value.count <= Self.runLimit
            let quotes = quoted ? 1 : 0
            let size = 1 + n + 2 + (inline ? value.count + 2 * quotes + 1 : 0)
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: size) { run in
                // The closing brace gives way to the comma, or to the first member's opening quote.
                var at: Int
                if empty {
                    bytes[bytes.count - 1] = 0x22
                    at = 0
                } else {
                    bytes[bytes.count - 1] = 0x2c
                    run[0] = 0x22
                    at = 1
                }
                let base = run.baseAddress!
                if n > 0 { (base + at).initialize(from: name.baseAddress!, count: n) }
                at += n
                run[at] = 0x22
                run[at + 1] = 0x3a
                at += 2
                if inline {
                    if quoted { run[at] = 0x22; at += 1 }
                    if value.count > 0 { (base + at).initialize(from: value.baseAddress!, count: value.count) }
                    at += value.count
                    if quoted { run[at] = 0x22; at += 1 }
                    if closed { run[at] = 0x7d; at += 1 }
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: run[..<at]))
            }
            if !inline {
                if quoted { bytes.append(0x22) }
                bytes.append(contentsOf: value)
                if quoted { bytes.append(0x22) }
                if closed { bytes.append(0x7d) }
            }
        }
        empty = false
    }

    /// `"k":` and a literal (`null`, `true`, `false`), the brace after.
    private mutating func member(_ k: StaticString, literal: StaticString) {
        literal.withUTF8Buffer { member(k, $0, quoted: false) }
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

    /// Writes an object at the end of `buffer`, by `body`: the bytes a `JSONLine`'s `finished`
    /// would hold, without an array of their own (a pass's audit events go into one buffer a
    /// chunk, `RenderedPart.audit`).
    public static func append(to buffer: inout [UInt8], _ body: (inout JSONLine) -> Void) {
        var object = JSONLine(continuing: &buffer)
        body(&object)
        object.handBack(to: &buffer)
    }

    private mutating func close() { bytes.append(0x7d) }

    public mutating func add(_ k: StaticString, _ value: String?) {
        guard let value else { return member(k, literal: "null") }
        value.withUTF8Bytes { utf8 in
            // Most values need no escape: they go in with their key, in quotes, in one append.
            if JSONString.anyNeedsEscape(utf8) {
                key(k)
                JSONString.append(utf8: utf8, to: &bytes)
                close()
            } else {
                member(k, utf8, quoted: true)
            }
        }
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
        guard let value else { return member(k, literal: "null") }
        guard let v = Int64(exactly: value) else {
            key(k)
            write(value)
            return close()
        }
        Self.withDecimal(v) { member(k, $0, quoted: false) }
    }

    /// The number's decimal digits, written in place rather than through a `String`.
    private static func appendDecimal<T: BinaryInteger>(_ value: T, to bytes: inout [UInt8]) {
        guard let v = Int64(exactly: value) else { return bytes.append(contentsOf: String(value).utf8) }
        withDecimal(v) { bytes.append(contentsOf: $0) }
    }

    /// `body` with the number's decimal digits (a minus first when negative).
    private static func withDecimal(_ v: Int64, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var rest = v.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 21) { digits in
            var i = 21
            repeat {
                i -= 1
                digits[i] = UInt8(truncatingIfNeeded: 0x30 &+ rest % 10)
                rest /= 10
            } while rest > 0
            if v < 0 {
                i -= 1
                digits[i] = 0x2d
            }
            body(UnsafeBufferPointer(rebasing: digits[i...]))
        }
    }

    public mutating func add(_ k: StaticString, _ value: Bool?) {
        member(k, literal: value.map { $0 ? "true" : "false" } ?? "null")
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
        raw.withUnsafeBufferPointer { member(k, $0, quoted: false) }
    }

    /// Adds an already-encoded JSON value from where it lies; `null` when there is none.
    public mutating func add(_ k: StaticString, raw: UnsafeBufferPointer<UInt8>?) {
        guard let raw, !raw.isEmpty else { return member(k, literal: "null") }
        member(k, raw, quoted: false)
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

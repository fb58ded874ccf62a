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
    /// The object's bytes are the first `used`; the rest is room, written in place. An array's
    /// count is what may be written through its pointer, so the room is part of it, and `finished`
    /// cuts it off. Appending each member to the array (its uniqueness, room and count checked by
    /// the generic append, the member first put together in a buffer of its own) cost 280
    /// instructions a member, and a first policy pass writes 35 million members (issue 16,
    /// session 47).
    private var bytes: [UInt8]
    private var used: Int
    private var empty = true

    public init() { self.init(reserving: 512) }

    /// An object with room for `capacity` bytes, for a line known to be larger than most (an
    /// audit event that carries its record): it is not grown by doubling, copying it each time.
    public init(reserving capacity: Int) {
        bytes = [UInt8](repeating: 0, count: Swift.max(capacity, 2))
        bytes[0] = 0x7b  // {
        bytes[1] = 0x7d  // }
        used = 2
    }

    /// Keys are literals of this code: names of the wire's fields, plain ASCII that JSON needs
    /// no escape for (checked in debug builds), so their bytes go in as they are. A first policy
    /// pass writes about twenty million keys; scanning each for escapes was a third of its JSON
    /// time (issue 16).
    private mutating func key(_ k: StaticString) {
        member(k, UnsafeBufferPointer(start: nil, count: 0), quoted: false, closed: false)
    }

    /// Room for `count` more bytes after the object's.
    @inline(__always)
    private mutating func makeRoom(_ count: Int) {
        if bytes.count - used < count { grow(count) }
    }

    /// Zeros the room is made of, appended with one copy.
    private static let zeros = [UInt8](repeating: 0, count: 4_096)

    /// Makes the room: the array doubled when its capacity is short, then its count taken up to
    /// its capacity (zeros copied in after the room it has: the array cannot count bytes it has
    /// not been given).
    @inline(never)
    private mutating func grow(_ count: Int) {
        let wanted = used + count
        if bytes.capacity < wanted { bytes.reserveCapacity(Swift.max(wanted, 2 * bytes.capacity)) }
        var extra = bytes.capacity - bytes.count
        while extra > 0 {
            let n = Swift.min(extra, Self.zeros.count)
            bytes.append(contentsOf: Self.zeros[..<n])
            extra -= n
        }
    }

    /// Leaves the array holding the object's bytes alone (for `finished`, or before an append
    /// through the array itself).
    private mutating func cutRoom() {
        if bytes.count > used { bytes.removeSubrange(used...) }
    }

    /// Writes `bytes` at the object's end.
    private mutating func put(_ source: UnsafeBufferPointer<UInt8>) {
        guard let from = source.baseAddress, source.count > 0 else { return }
        makeRoom(source.count)
        let at = used
        bytes.withUnsafeMutableBufferPointer { (p: inout UnsafeMutableBufferPointer<UInt8>) in
            (p.baseAddress! + at).update(from: from, count: source.count)
        }
        used += source.count
    }

    private mutating func put(_ byte: UInt8) {
        makeRoom(1)
        bytes[used] = byte
        used += 1
    }

    /// A JSON string of `utf8`, quotes included.
    private mutating func putString(_ utf8: UnsafeBufferPointer<UInt8>) {
        if JSONString.anyNeedsEscape(utf8) {
            // Rare (a quote or a control character in a value): the core's writer, on the array.
            cutRoom()
            JSONString.append(utf8: utf8, to: &bytes)
            used = bytes.count
        } else {
            put(0x22)
            put(utf8)
            put(0x22)
        }
    }

    /// Writes `"k":` and `value` (in quotes when `quoted`, as it is otherwise: JSON already) and,
    /// when `closed`, the closing brace, all in place: the room made once, one pass over the
    /// array's storage. A member was five or six appends (issue 16, session 39), then one append of
    /// the member put together apart (session 47: 280 instructions a member).
    private mutating func member(_ k: StaticString, _ value: UnsafeBufferPointer<UInt8>, quoted: Bool, closed: Bool = true) {
        k.withUTF8Buffer { name in
            assert(!JSONString.anyNeedsEscape(name), "a JSON key that needs escaping: \(k)")
            // At most: the comma, the key in quotes and the colon, the value in quotes, the brace,
            // less the brace it replaces.
            makeRoom(name.count + value.count + 6)
            let start = used, first = empty
            used = bytes.withUnsafeMutableBufferPointer { (run: inout UnsafeMutableBufferPointer<UInt8>) -> Int in
                let p = run.baseAddress!
                // The closing brace gives way to the comma, or to the first member's opening quote.
                var at = start - 1
                if !first { p[at] = 0x2c; at += 1 }
                p[at] = 0x22
                at += 1
                if name.count > 0 { Self.copy(name.baseAddress!, to: p + at, count: name.count) }
                at += name.count
                p[at] = 0x22
                p[at + 1] = 0x3a
                at += 2
                if quoted { p[at] = 0x22; at += 1 }
                if value.count > 0 { Self.copy(value.baseAddress!, to: p + at, count: value.count) }
                at += value.count
                if quoted { p[at] = 0x22; at += 1 }
                if closed { p[at] = 0x7d; at += 1 }
                return at
            }
        }
        empty = false
    }

    /// Copies `count` bytes, those of a key or a short value without a call: most are under 32
    /// bytes, where `memmove`'s call and dispatch cost more than the copy (two loads and two
    /// stores that overlap in the middle, each inside both buffers).
    @inline(__always)
    private static func copy(_ from: UnsafePointer<UInt8>, to: UnsafeMutablePointer<UInt8>, count n: Int) {
        let source = UnsafeRawPointer(from), target = UnsafeMutableRawPointer(to)
        @inline(__always) func pair<T>(_: T.Type) {
            let size = MemoryLayout<T>.size
            let head = source.loadUnaligned(as: T.self), tail = source.loadUnaligned(fromByteOffset: n - size, as: T.self)
            target.storeBytes(of: head, as: T.self)
            target.storeBytes(of: tail, toByteOffset: n - size, as: T.self)
        }
        switch n {
        case 16...32: pair(SIMD16<UInt8>.self)
        case 8..<16: pair(UInt64.self)
        case 4..<8: pair(UInt32.self)
        case 1..<4:
            to[0] = from[0]
            to[n >> 1] = from[n >> 1]
            to[n - 1] = from[n - 1]
        case 0: break
        default: to.update(from: from, count: n)
        }
    }

    /// `"k":` and a literal (`null`, `true`, `false`), the brace after.
    private mutating func member(_ k: StaticString, literal: StaticString) {
        literal.withUTF8Buffer { member(k, $0, quoted: false) }
    }

    /// A key known only at run time (a CSV column's header, a code, an indicator's id from the
    /// pack): escaped like any string.
    private mutating func key(named k: String) {
        separate()
        k.withUTF8Bytes { putString($0) }
        put(0x3a)
    }

    /// The closing brace gives way to the comma, or goes for the first member; `close` puts it back.
    private mutating func separate() {
        if empty { used -= 1 } else { bytes[used - 1] = 0x2c }
        empty = false
    }

    private mutating func write(_ value: String?) {
        if let value { value.withUTF8Bytes { putString($0) } } else { put(Self.null) }
    }

    private mutating func write<T: BinaryInteger>(_ value: T?) {
        guard let value else { return put(Self.null) }
        guard let v = Int64(exactly: value) else { return String(value).withUTF8Bytes { put($0) } }
        Self.withDecimal(v) { put($0) }
    }

    private mutating func put(_ literal: StaticString) { literal.withUTF8Buffer { put($0) } }
    private static let null: StaticString = "null"

    /// An object that goes on at the end of `buffer`'s first `used` bytes, which it takes over
    /// until it is handed back (`handBack`): a member's object is written in place, not built
    /// apart and copied in.
    private init(continuing buffer: inout [UInt8], used: Int) {
        bytes = []
        swap(&bytes, &buffer)
        self.used = used
        put(0x7b)  // {
        put(0x7d)  // }
    }

    private mutating func handBack(to buffer: inout [UInt8], used: inout Int) {
        swap(&bytes, &buffer)
        used = self.used
    }

    /// Writes an object at the end of `buffer`, by `body`: the bytes a `JSONLine`'s `finished`
    /// would hold, without an array of their own (a pass's audit events go into one buffer a
    /// chunk, `RenderedPart.audit`).
    public static func append(to buffer: inout [UInt8], _ body: (inout JSONLine) -> Void) {
        var end = buffer.count
        append(to: &buffer, end: &end, body)
        buffer.removeSubrange(end...)
    }

    /// Writes an object after `buffer`'s first `end` bytes, by `body`, and moves `end` past it.
    /// The bytes after `end` are room, kept for the next object: a policy pass writes a chunk's
    /// audit events one after another this way (`RenderedPart.audit`), and making room for each
    /// event and cutting it off again was 1,000 instructions an event (issue 16, session 47).
    public static func append(to buffer: inout [UInt8], end: inout Int, _ body: (inout JSONLine) -> Void) {
        var object = JSONLine(continuing: &buffer, used: end)
        body(&object)
        object.handBack(to: &buffer, used: &end)
    }

    /// An object member written by `body` in place, at the end of this object's bytes.
    private mutating func nested(_ body: (inout JSONLine) -> Void) {
        var member = JSONLine(continuing: &bytes, used: used)
        body(&member)
        member.handBack(to: &bytes, used: &used)
    }

    private mutating func close() { put(0x7d) }

    public mutating func add(_ k: StaticString, _ value: String?) {
        guard let value else { return member(k, literal: "null") }
        value.withUTF8Bytes { utf8 in
            // Most values need no escape: they go in with their key, in quotes, in one write.
            if JSONString.anyNeedsEscape(utf8) {
                key(k)
                putString(utf8)
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
        members.bytes.withUnsafeBufferPointer { put($0) }
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
        nested(body)
        close()
    }

    /// Adds an array of objects, one per element, each written by `body` in place.
    public mutating func add<Elements: Sequence>(_ k: StaticString, each elements: Elements,
                                                 _ body: (inout JSONLine, Elements.Element) -> Void) {
        key(k)
        put(0x5b)
        var first = true
        for element in elements {
            if !first { put(0x2c) }
            first = false
            nested { body(&$0, element) }
        }
        put(0x5d)
        close()
    }

    public mutating func add(_ k: StaticString, objects: [JSONLine]) {
        key(k)
        put(0x5b)
        for (i, o) in objects.enumerated() {
            if i > 0 { put(0x2c) }
            o.bytes.withUnsafeBufferPointer { put(UnsafeBufferPointer(rebasing: $0[..<o.used])) }
        }
        put(0x5d)
        close()
    }

    public mutating func add(_ k: StaticString, strings: [String]) {
        key(k)
        put(0x5b)
        for (i, s) in strings.enumerated() {
            if i > 0 { put(0x2c) }
            s.withUTF8Bytes { putString($0) }
        }
        put(0x5d)
        close()
    }

    /// The object, closed: its bytes themselves, the room after them cut off (a getter that
    /// mutates for that; members added later make room again).
    public var finished: [UInt8] {
        mutating get {
            cutRoom()
            return bytes
        }
    }
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

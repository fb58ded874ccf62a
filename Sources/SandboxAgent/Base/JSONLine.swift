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

    public init() {
        bytes = []
        bytes.reserveCapacity(256)
        bytes.append(0x7b)  // {
        bytes.append(0x7d)  // }
    }

    private mutating func key(_ k: String) {
        // The closing brace gives way to the comma, or goes for the first member; `close` puts it back.
        if empty { bytes.removeLast() } else { bytes[bytes.count - 1] = 0x2c }
        empty = false
        JSONString.append(k, to: &bytes)
        bytes.append(0x3a)
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

    public mutating func add(_ k: String, _ value: String?) {
        key(k)
        if let value { JSONString.append(value, to: &bytes) } else { bytes.append(contentsOf: "null".utf8) }
        close()
    }

    public mutating func add<T: BinaryInteger>(_ k: String, _ value: T?) {
        key(k)
        bytes.append(contentsOf: (value.map { String($0) } ?? "null").utf8)
        close()
    }

    public mutating func add(_ k: String, _ value: Bool?) {
        key(k)
        bytes.append(contentsOf: (value.map { $0 ? "true" : "false" } ?? "null").utf8)
        close()
    }

    /// Adds an already-encoded JSON value (object or array).
    public mutating func add(_ k: String, raw: [UInt8]) {
        key(k)
        bytes.append(contentsOf: raw)
        close()
    }

    /// Adds an object member written by `body` in place.
    public mutating func add(_ k: String, object body: (inout JSONLine) -> Void) {
        key(k)
        var member = JSONLine(continuing: &bytes)
        body(&member)
        member.handBack(to: &bytes)
        close()
    }

    /// Adds an array of objects, one per element, each written by `body` in place.
    public mutating func add<Elements: Sequence>(_ k: String, each elements: Elements,
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

    public mutating func add(_ k: String, objects: [JSONLine]) {
        key(k)
        bytes.append(0x5b)
        for (i, o) in objects.enumerated() {
            if i > 0 { bytes.append(0x2c) }
            bytes.append(contentsOf: o.finished)
        }
        bytes.append(0x5d)
        close()
    }

    public mutating func add(_ k: String, strings: [String]) {
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

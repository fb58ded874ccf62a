/// Builds one JSON object as UTF-8 bytes, fast: reports can hold hundreds of thousands of lines,
/// and Foundation's JSONEncoder costs tens of microseconds per object.
public struct JSONLine {
    public private(set) var bytes: [UInt8] = [0x7b]  // {
    private var empty = true

    public init() {}

    private mutating func key(_ k: String) {
        if !empty { bytes.append(0x2c) }
        empty = false
        JSONLine.appendString(k, to: &bytes)
        bytes.append(0x3a)
    }

    public mutating func add(_ k: String, _ value: String?) {
        key(k)
        if let value { JSONLine.appendString(value, to: &bytes) } else { bytes.append(contentsOf: "null".utf8) }
    }

    public mutating func add<T: BinaryInteger>(_ k: String, _ value: T?) {
        key(k)
        bytes.append(contentsOf: (value.map { String($0) } ?? "null").utf8)
    }

    public mutating func add(_ k: String, _ value: Bool?) {
        key(k)
        bytes.append(contentsOf: (value.map { $0 ? "true" : "false" } ?? "null").utf8)
    }

    /// Adds an already-encoded JSON value (object or array).
    public mutating func add(_ k: String, raw: [UInt8]) {
        key(k)
        bytes.append(contentsOf: raw)
    }

    public mutating func add(_ k: String, objects: [JSONLine]) {
        key(k)
        bytes.append(0x5b)
        for (i, o) in objects.enumerated() {
            if i > 0 { bytes.append(0x2c) }
            bytes.append(contentsOf: o.finished)
        }
        bytes.append(0x5d)
    }

    public mutating func add(_ k: String, strings: [String]) {
        key(k)
        bytes.append(0x5b)
        for (i, s) in strings.enumerated() {
            if i > 0 { bytes.append(0x2c) }
            JSONLine.appendString(s, to: &bytes)
        }
        bytes.append(0x5d)
    }

    /// The object, closed.
    public var finished: [UInt8] { bytes + [0x7d] }

    static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends UTF-8 bytes as a JSON string (SQLite text without building a String).
    public static func appendString(utf8 buf: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(0x22)
        var clean = true
        for b in buf where b < 0x20 || b == 0x22 || b == 0x5c || b == 0x7f { clean = false; break }
        if clean { out.append(contentsOf: buf) } else { appendEscaped(buf, to: &out) }
        out.append(0x22)
    }

    public static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        // Fast path: most values need no escaping and are copied in one go.
        let copied: Bool = s.utf8.withContiguousStorageIfAvailable { buf in
            for b in buf where b < 0x20 || b == 0x22 || b == 0x5c || b == 0x7f { return false }
            out.append(contentsOf: buf)
            return true
        } ?? false
        if copied {
            out.append(0x22)
            return
        }
        appendEscaped(s.utf8, to: &out)
        out.append(0x22)
    }

    private static func appendEscaped<Bytes: Sequence>(_ bytes: Bytes, to out: inout [UInt8]) where Bytes.Element == UInt8 {
        for b in bytes {
            switch b {
            case 0x22: out.append(0x5c); out.append(0x22)
            case 0x5c: out.append(0x5c); out.append(0x5c)
            case 0x0a: out.append(0x5c); out.append(0x6e)
            case 0x0d: out.append(0x5c); out.append(0x72)
            case 0x09: out.append(0x5c); out.append(0x74)
            case 0..<0x20, 0x7f:
                out.append(contentsOf: [0x5c, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xf)]])
            default: out.append(b)
            }
        }
    }
}

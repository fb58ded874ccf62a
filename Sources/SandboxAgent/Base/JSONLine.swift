import SandboxCore

/// Builds one JSON object as UTF-8 bytes, fast: reports can hold hundreds of thousands of lines,
/// and Foundation's JSONEncoder costs tens of microseconds per object. Its strings are written by
/// the core's `JSONString`, as every JSON of the house.
public struct JSONLine {
    public private(set) var bytes: [UInt8] = [0x7b]  // {
    private var empty = true

    public init() {}

    private mutating func key(_ k: String) {
        if !empty { bytes.append(0x2c) }
        empty = false
        JSONString.append(k, to: &bytes)
        bytes.append(0x3a)
    }

    public mutating func add(_ k: String, _ value: String?) {
        key(k)
        if let value { JSONString.append(value, to: &bytes) } else { bytes.append(contentsOf: "null".utf8) }
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
            JSONString.append(s, to: &bytes)
        }
        bytes.append(0x5d)
    }

    /// The object, closed.
    public var finished: [UInt8] { bytes + [0x7d] }
}

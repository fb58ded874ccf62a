import Foundation

extension JSONValue {
    /// The value as `JSONSerialization` gives it (NSNumber, String, NSNull, arrays, dictionaries),
    /// for the agent's instruction lines and stored payloads, which `JSONSerialization` writes: the
    /// same objects give the same bytes they gave when the agent parsed the answer itself.
    public var foundationObject: Any {
        switch self {
        case .null: return NSNull()
        case .bool(let b): return NSNumber(value: b)
        case .int(let i): return NSNumber(value: i)
        case .double(let d): return NSNumber(value: d)
        case .string(let s): return s
        case .array(let a): return a.map(\.foundationObject)
        case .object(let o): return o.mapValues(\.foundationObject)
        }
    }
}

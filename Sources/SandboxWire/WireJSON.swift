import Foundation

/// How the link's JSON is written and read: the regulator answers with `encode` (sorted keys,
/// slashes unescaped, as every answer of its API), the agent reads with `decode` — one pair, so a
/// test of the pair is a test of what crosses between the two programs.
public enum WireJSON {
    public static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    public static func decode<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8]) throws -> Value {
        try JSONDecoder().decode(type, from: Data(bytes))
    }
}

import SandboxCore

/// The line an agent sends per feed item (docs/api/openapi.yaml `FeedItem`): its envelope —
/// type, platform_id, key, uscc, content_hash, version, the pack — around the record's `data`.
/// One codec for both sides: the agent's `FeedLineRenderer` writes it with the `append…`
/// functions (bytes straight from SQLite, no value built), the regulator's intake reads it with
/// `read` (byte-level, `data` checked but kept as sent), and `FeedItemLineTests` reads what was
/// written. What the regulator checks in `data` itself (per type) stays the regulator's.
public struct FeedItemLine: Sendable, Equatable {
    /// What a line may be; the regulator files each type in its own way.
    public enum ItemType: String, Sendable, CaseIterable {
        case merchant, licence, event, registry, findings
        // The policy's own items (docs/policy.md §10.1).
        case `class`, roster, `case`, instruction, prompt
    }

    public var type: ItemType
    public var platformID: String
    public var key: String
    public var uscc: String?
    /// Decimal digits, 1…40 (a 64-bit hash is at most 20).
    public var contentHash: String
    /// The rule pack that made the decision, or that was active when the batch was frozen
    /// (docs/policy.md §10.1); nil from an agent without a pack.
    public var packVersion: String?
    public var packSerial: Int64?
    /// The record's version as the agent stamped it (its batch's freeze time in ms).
    public var version: Int64?
    /// `data` as sent: a JSON object, checked with the full grammar, never rebuilt.
    public var data: [UInt8]

    public init(type: ItemType, platformID: String, key: String, uscc: String?, contentHash: String,
                packVersion: String? = nil, packSerial: Int64? = nil, version: Int64? = nil, data: [UInt8]) {
        self.type = type
        self.platformID = platformID
        self.key = key
        self.uscc = uscc
        self.contentHash = contentHash
        self.packVersion = packVersion
        self.packSerial = packSerial
        self.version = version
        self.data = data
    }

    /// The longest key the regulator files.
    public static let maxKeyBytes = 512

    /// Why a line is refused: the rejected line's reason, which the agent logs.
    public struct Refusal: Error, Equatable, Sendable {
        public let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    // MARK: Reading (the regulator's intake)

    /// The line's envelope and `data`, or why it is no feed item of `platformID` (the
    /// authenticated platform: a line may not speak for another).
    public static func read(_ line: ArraySlice<UInt8>, platformID: String) -> Result<FeedItemLine, Refusal> {
        // `data` is checked but kept as sent: building and re-writing it took most of the parse.
        var loneSurrogate = false
        guard let (object, rawData) = JSONValueParser.parseObject(line, rawKey: "data", loneSurrogate: &loneSurrogate) else {
            return .failure(Refusal(loneSurrogate ? JSONValueParser.loneSurrogateReason : "not a JSON object"))
        }
        guard let typeText = object["type"]?.stringValue else { return .failure(Refusal("`type` missing or not a string")) }
        guard let type = ItemType(rawValue: typeText) else {
            return .failure(Refusal("`type` \(typeText) unknown; expected one of "
                                    + ItemType.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        guard let platform = object["platform_id"]?.stringValue else {
            return .failure(Refusal("`platform_id` missing or not a string"))
        }
        guard platform == platformID else {
            return .failure(Refusal("`platform_id` \(platform) is not the authenticated platform \(platformID)"))
        }
        guard let key = object["key"]?.stringValue, !key.isEmpty, key.utf8.count <= maxKeyBytes else {
            return .failure(Refusal("`key` missing, empty or longer than \(maxKeyBytes) bytes"))
        }
        let hash: String
        switch object["content_hash"] {
        // 40 digits leave room for a 128-bit hash. Unbounded, every record could carry megabytes
        // of "hash" into the table and its comparisons.
        case .string(let s) where (1...40).contains(s.utf8.count) && s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }): hash = s
        case .int(let i) where i >= 0: hash = String(i)
        default: return .failure(Refusal("`content_hash` must be a decimal number of 1…40 digits in a string"))
        }
        var uscc: String?
        switch object["uscc"] {
        case nil, .null: uscc = nil
        case .string(let s) where s.isEmpty: uscc = nil
        case .string(let s):
            do { uscc = try NumberField.usccShape(s) } catch { return .failure(Refusal("`uscc`: \(error.reason)")) }
        default: return .failure(Refusal("`uscc` must be a string"))
        }
        if type == .registry, uscc == nil { uscc = key }
        guard let rawData, rawData.first == 0x7B else {
            return .failure(Refusal("`data` missing or not an object"))
        }
        let packVersion: String?
        switch object["pack_version"] {
        case nil, .null: packVersion = nil
        case .string(let s) where !s.isEmpty && s.utf8.count <= 64: packVersion = s
        default: return .failure(Refusal("`pack_version` must be a string of 1…64 bytes (e.g. \"chengdu-2026.1\") or null"))
        }
        let packSerial: Int64?
        switch object["pack_serial"] {
        case nil, .null: packSerial = nil
        case .int(let i) where i >= 1: packSerial = i
        default: return .failure(Refusal("`pack_serial` must be a whole number ≥ 1 (the pack's [pack] serial) or null"))
        }
        let version: Int64?
        switch object["version"] {
        case nil, .null: version = nil
        case .int(let i) where i >= 1: version = i
        default: return .failure(Refusal("`version` must be a whole number ≥ 1 (the record's version) or null"))
        }
        return .success(FeedItemLine(type: type, platformID: platform, key: key, uscc: uscc, contentHash: hash,
                                     packVersion: packVersion, packSerial: packSerial, version: version, data: rawData))
    }

    // MARK: Writing (the agent's feed batches), in this order

    /// `{"type":"T","platform_id":P,"key":K`: every line's start.
    public static func appendStart(type: ItemType, platformID: String, key: String, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"type":""#.utf8)
        out.append(contentsOf: type.rawValue.utf8)
        out.append(contentsOf: #"","platform_id":"#.utf8)
        JSONString.append(platformID, to: &out)
        out.append(contentsOf: #","key":"#.utf8)
        JSONString.append(key, to: &out)
    }

    /// `,"uscc":U`, `null` without one.
    public static func appendUSCC(_ uscc: UnsafeBufferPointer<UInt8>?, to out: inout [UInt8]) {
        out.append(contentsOf: #","uscc":"#.utf8)
        if let uscc { JSONString.append(utf8: uscc, to: &out) } else { out.append(contentsOf: "null".utf8) }
    }

    /// `,"content_hash":"H","version":V`.
    public static func appendHash(_ contentHash: UInt64, version: Int64, to out: inout [UInt8]) {
        out.append(contentsOf: #","content_hash":""#.utf8)
        out.append(contentsOf: String(contentHash).utf8)
        out.append(contentsOf: #"","version":"#.utf8)
        out.append(contentsOf: String(version).utf8)
    }

    /// `,"pack_version":P,"pack_serial":N`: the pack in force (a batch writes it once and copies
    /// the bytes into each of its lines).
    public static func appendPack(version: UnsafeBufferPointer<UInt8>, serial: Int64, to out: inout [UInt8]) {
        out.append(contentsOf: #","pack_version":"#.utf8)
        JSONString.append(utf8: version, to: &out)
        out.append(contentsOf: #","pack_serial":"#.utf8)
        out.append(contentsOf: String(serial).utf8)
    }

    /// `,"data":`, which the caller follows with the record's JSON object and `appendEnd`.
    public static func appendDataKey(to out: inout [UInt8]) {
        out.append(contentsOf: #","data":"#.utf8)
    }

    /// `}` and the newline that ends the line.
    public static func appendEnd(to out: inout [UInt8]) {
        out.append(contentsOf: "}\n".utf8)
    }
}

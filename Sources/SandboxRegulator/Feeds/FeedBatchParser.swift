import SandboxCore
import SandboxWire

/// Splits a feed body into items and rejected lines, a line at a time. Pure: no storage, no I/O
/// beyond its `ByteSource`.
public enum FeedBatchParser {
    /// What an item holds besides its line's bytes, for the intake budget: the `FeedItem` in an
    /// array that may be twice the size it needs, and the heap headers of its strings.
    static let itemOverheadBytes = 512

    /// The items and rejected lines of a whole body in memory (the tests' way in).
    public static func parse(_ body: [UInt8], platformID: String) -> (items: [FeedItem], rejected: RejectedLines) {
        let lines = BodyLines(source: MemoryBytes(body), maxLineBytes: max(body.count, 1))
        // Nothing can fail: the bytes are in memory, every line fits, no line count is bounded.
        return (try? read(lines, platformID: platformID, maxLines: .max) { _ in }) ?? ([], RejectedLines())
    }

    /// Reads every line of `lines`. `keep` is told what each item will hold before it is kept and
    /// may refuse it by throwing (the intake budget); more than `maxLines` lines throw
    /// `TooManyLines`; a source that fails throws its `UnreadableFile`.
    static func read(_ lines: BodyLines, platformID: String, maxLines: Int,
                     keep: (Int) throws -> Void) throws -> (items: [FeedItem], rejected: RejectedLines) {
        var items: [FeedItem] = []
        var rejected = RejectedLines()
        while let (number, line) = try lines.next() {
            guard number <= maxLines else { throw TooManyLines(limit: maxLines) }
            switch line {
            case .tooLong:
                rejected.add(line: number, reason: "line longer than \(lines.maxLineBytes) bytes; send each record on a line of its own")
            case .text(let text):
                if text.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                switch item(text, platformID: platformID) {
                case .success(let item):
                    try keep(text.count + itemOverheadBytes)
                    items.append(item)
                case .failure(let reason): rejected.add(line: number, reason: reason.text)
                }
            }
        }
        return (items, rejected)
    }

    struct Reason: Error { let text: String; init(_ t: String) { text = t } }

    static func item(_ line: ArraySlice<UInt8>, platformID: String) -> Result<FeedItem, Reason> {
        // `data` is checked but kept as sent: building and re-writing it took most of the parse.
        var loneSurrogate = false
        guard let (object, rawData) = JSONValueParser.parseObject(line, rawKey: "data", loneSurrogate: &loneSurrogate) else {
            return .failure(Reason(loneSurrogate ? JSONValueParser.loneSurrogateReason : "not a JSON object"))
        }
        guard let typeText = object["type"]?.stringValue else { return .failure(Reason("`type` missing or not a string")) }
        guard let kind = FeedItem.Kind(rawValue: typeText) else {
            return .failure(Reason("`type` \(typeText) unknown; expected one of "
                                   + FeedItem.Kind.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        guard let platform = object["platform_id"]?.stringValue else {
            return .failure(Reason("`platform_id` missing or not a string"))
        }
        guard platform == platformID else {
            return .failure(Reason("`platform_id` \(platform) is not the authenticated platform \(platformID)"))
        }
        guard let key = object["key"]?.stringValue, !key.isEmpty, key.utf8.count <= 512 else {
            return .failure(Reason("`key` missing, empty or longer than 512 bytes"))
        }
        let hash: String
        switch object["content_hash"] {
        // A 64-bit hash is at most 20 digits; 40 leaves room for a 128-bit one. Unbounded, every
        // record could carry megabytes of "hash" into the table and its comparisons.
        case .string(let s) where (1...40).contains(s.utf8.count) && s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }): hash = s
        case .int(let i) where i >= 0: hash = String(i)
        default: return .failure(Reason("`content_hash` must be a decimal number of 1…40 digits in a string"))
        }
        var uscc: String?
        switch object["uscc"] {
        case nil, .null: uscc = nil
        case .string(let s) where s.isEmpty: uscc = nil
        case .string(let s):
            do { uscc = try NumberField.usccShape(s) } catch { return .failure(Reason("`uscc`: \(error.reason)")) }
        default: return .failure(Reason("`uscc` must be a string"))
        }
        if kind == .registry, uscc == nil { uscc = key }
        guard let rawData, rawData.first == 0x7B else {
            return .failure(Reason("`data` missing or not an object"))
        }
        let packVersion: String?
        switch object["pack_version"] {
        case nil, .null: packVersion = nil
        case .string(let s) where !s.isEmpty && s.utf8.count <= 64: packVersion = s
        default: return .failure(Reason("`pack_version` must be a string of 1…64 bytes (e.g. \"chengdu-2026.1\") or null"))
        }
        let packSerial: Int64?
        switch object["pack_serial"] {
        case nil, .null: packSerial = nil
        case .int(let i) where i >= 1: packSerial = i
        default: return .failure(Reason("`pack_serial` must be a whole number ≥ 1 (the pack's [pack] serial) or null"))
        }
        let version: Int64?
        switch object["version"] {
        case nil, .null: version = nil
        case .int(let i) where i >= 1: version = i
        default: return .failure(Reason("`version` must be a whole number ≥ 1 (the record's version) or null"))
        }
        if let problem = FeedDataCheck.problem(kind: kind, key: key, rawData: rawData) {
            return .failure(Reason(problem))
        }
        if kind == .findings {
            guard case .array(let current)? = JSONValue.parse(rawData)?["current"] else {
                return .failure(Reason("findings `data` must be {\"current\": [finding, …]}"))
            }
            for (i, finding) in current.enumerated() {
                guard case .object(let f) = finding,
                      ["code", "severity", "message", "basis"].allSatisfy({ f[$0]?.stringValue != nil }),
                      f["since"].map({ $0.stringValue != nil }) ?? true else {
                    return .failure(Reason("findings `data.current[\(i)]` must be an object with string code, severity, message and basis"))
                }
            }
        }
        return .success(FeedItem(kind: kind, platformID: platform, key: key, uscc: uscc,
                                 contentHash: hash, dataJSON: String(decoding: rawData, as: UTF8.self),
                                 packVersion: packVersion, packSerial: packSerial, version: version))
    }
}

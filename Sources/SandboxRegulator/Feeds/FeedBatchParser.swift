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
        // The envelope is the wire's (the agent writes it with the same type); `data` per type is
        // the regulator's to check.
        let sent: FeedItemLine
        switch FeedItemLine.read(line, platformID: platformID) {
        case .success(let line): sent = line
        case .failure(let refusal): return .failure(Reason(refusal.reason))
        }
        let kind = sent.type, key = sent.key, rawData = sent.data
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
        return .success(FeedItem(kind: kind, platformID: sent.platformID, key: key, uscc: sent.uscc,
                                 contentHash: sent.contentHash, dataJSON: String(decoding: rawData, as: UTF8.self),
                                 packVersion: sent.packVersion, packSerial: sent.packSerial, version: sent.version))
    }
}

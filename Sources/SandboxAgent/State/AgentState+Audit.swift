import SandboxCore
import SandboxStorage

/// One event of the audit trail, as a JSON line: when (agent clock), who decided (`agent`,
/// `regulator`, `platform`), what kind, about which merchant, under which rule pack, a one-line
/// detail, and the full record (the report line, the directive, the receipt) as evidence.
public struct AuditEvent {
    public enum Actor: String { case agent, regulator, platform }
    public var at: Int64
    public var actor: Actor
    public var kind: String
    public var merchantID: String?
    public var uscc: String?
    public var subject: String?
    public var detail: String
    /// Raw JSON of the record.
    public var record: [UInt8]
    /// The rule pack that decided (`chengdu-2026.1`); nil: the built-in verification rules.
    public var rulePack: String? = nil
    /// `at` as RFC 3339, when the caller has it made already (a policy pass stamps its million
    /// events with one time); nil: made here.
    var stamp: String? = nil

    var line: [UInt8] {
        // The record is most of a policy event (an item, an instruction line); the rest about 300 bytes.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(320 + record.count + detail.utf8.count)
        write(to: &bytes)
        return bytes
    }

    /// Writes the event's line (`line`) at the end of `buffer`.
    func write(to buffer: inout [UInt8]) {
        record.withUnsafeBufferPointer { record in
            Self.write(at: at, stamp: stamp, actor: actor, kind: kind, merchantID: merchantID, uscc: uscc,
                       rulePack: rulePack, subject: subject, detail: detail, record: record, to: &buffer)
        }
    }

    /// Writes an event's line at the end of `buffer` from its parts, without an `AuditEvent`: a
    /// first policy pass writes 1.1 million events, and making each one's struct retained its
    /// texts and record into it, and its closure copied it again (15 reference counts an event,
    /// and an allocation for each empty record's `null`; issue 16, session 40).
    static func write(at: Int64, stamp: String?, actor: Actor, kind: String, merchantID: String?, uscc: String?,
                      rulePack: String?, subject: String?, detail: String, record: UnsafeBufferPointer<UInt8>,
                      to buffer: inout [UInt8]) {
        var end = buffer.count
        write(at: at, stamp: stamp, actor: actor, kind: kind, merchantID: merchantID, uscc: uscc, rulePack: rulePack,
              subject: subject, detail: detail, record: record, to: &buffer, end: &end)
        buffer.removeSubrange(end...)
    }

    /// Writes an event's line after `buffer`'s first `end` bytes and moves `end` past it; the
    /// bytes after `end` are room for the next (`JSONLine.append(to:end:_:)`).
    static func write(at: Int64, stamp: String?, actor: Actor, kind: String, merchantID: String?, uscc: String?,
                      rulePack: String?, subject: String?, detail: String, record: UnsafeBufferPointer<UInt8>,
                      to buffer: inout [UInt8], end: inout Int) {
        JSONLine.append(to: &buffer, end: &end) { j in
            j.add("at", stamp ?? UTCTime.rfc3339(at))
            j.add("actor", actor.rawValue)
            j.add("kind", kind)
            j.add("platform_merchant_id", merchantID)
            j.add("uscc", uscc)
            // Findings follow the built-in verification rules (docs/findings.md); policy decisions
            // name the rule pack that made them.
            j.add("rule_pack", rulePack ?? "builtin-verification-1")
            j.add("subject", subject)
            j.add("detail", detail)
            j.add("record", raw: record)
        }
    }
}

extension AuditEvent {
    /// A merchant's findings changed (the verification report line is the record).
    static func findingsChanged(_ merchantID: String, uscc: String?, _ change: FindingsChange, record: [UInt8],
                                at: Int64) -> AuditEvent {
        var parts: [String] = []
        if !change.opened.isEmpty { parts.append("opened " + change.opened.map(\.code).joined(separator: ", ")) }
        if !change.changed.isEmpty { parts.append("changed " + change.changed.map(\.code).joined(separator: ", ")) }
        if !change.cleared.isEmpty { parts.append("cleared " + change.cleared.map(\.code).joined(separator: ", ")) }
        return AuditEvent(at: at, actor: .agent, kind: "findings_changed", merchantID: merchantID, uscc: uscc,
                          subject: nil, detail: parts.joined(separator: "; "), record: record)
    }
}

/// Events of the current transaction level, written as one chunk row (compressed, `StoredChunk`).
final class AuditBuffer {
    var bytes: [UInt8] = []
    var count = 0
    var firstAt: Int64 = 0, lastAt: Int64 = 0
    /// A full chunk of this level handed off (`AgentState.handOffAudit`): compressed on a thread of
    /// its own, its row written before the next chunk's and at the latest when the level ends.
    var handedOff: HandedOff?

    struct HandedOff {
        var count: Int
        var firstAt, lastAt: Int64
        var compression: ChunkCompression
    }

    /// Drops the level's events, handed off or not (a rolled-back level).
    func clear() { bytes.removeAll(keepingCapacity: true); count = 0; handedOff = nil }
}

extension AgentState {
    /// Records an event in the transaction of the change it describes (at once outside one).
    public func audit(_ event: AuditEvent) throws {
        try audit(line: event.line, at: event.at)
    }

    /// Records an event already rendered (`AuditEvent.line`), e.g. by the pipeline's look-ahead.
    func audit(line: [UInt8], at: Int64) throws {
        try line.withUnsafeBufferPointer { try audit(line: $0, at: at) }
    }

    /// Records an event already rendered, from a buffer holding it (a pass's chunk of events).
    func audit(line: UnsafeBufferPointer<UInt8>, at: Int64) throws {
        if auditBuffer.count == 0 { auditBuffer.firstAt = at; auditBuffer.lastAt = at }
        auditBuffer.firstAt = min(auditBuffer.firstAt, at)
        auditBuffer.lastAt = max(auditBuffer.lastAt, at)
        auditBuffer.bytes.append(contentsOf: line)
        auditBuffer.bytes.append(0x0a)
        auditBuffer.count += 1
        if !database.isInTransaction {
            try flushAudit()
        } else if auditBuffer.count >= Self.feedQueueChunkSize || auditBuffer.bytes.count >= Self.auditChunkBytes {
            try compressesChunksApart ? handOffAudit() : flushAudit()
        }
    }

    /// A chunk is written once its events reach this many bytes (or 4,096 events). An ingest's
    /// events carry their verification lines, 2 KB each: 4,096 of them held 8 MB and its
    /// compressed copy another 5 MB, a tenth of the ingest's memory (issue 16). A chunk of 1 MB
    /// compresses as well as a larger one (the lines repeat within a few KB); a reader decompresses
    /// one chunk at a time.
    static let auditChunkBytes = 1 << 20

    func flushAudit() throws {
        try writeHandedOffAudit()
        guard auditBuffer.count > 0 else { return }
        // A chunk is thousands of lines that repeat the same keys, rule texts and criteria: a
        // Zstandard frame at level 1 keeps about a seventeenth of it. A first policy pass at
        // 469,000 merchants wrote 810 MB of audit uncompressed (docs/benchmarks.md, issue 16).
        // Chunks written before are gzip members or plain JSON Lines (`StoredChunk.plain`).
        try insertAuditChunk(firstAt: auditBuffer.firstAt, lastAt: auditBuffer.lastAt, count: auditBuffer.count,
                             stored: StoredChunk.stored(auditBuffer.bytes))
        auditBuffer.clear()
    }

    /// A full chunk in a transaction: the chunk handed off before it is written, and this one
    /// handed to `ChunkCompression` while the writer goes on. Its row is written before the next
    /// chunk's, so the rows keep the events' order, and at the latest by `flushAudit` when the
    /// level ends; a rolled-back level drops it with the buffer.
    private func handOffAudit() throws {
        try writeHandedOffAudit()
        auditBuffer.handedOff = AuditBuffer.HandedOff(count: auditBuffer.count, firstAt: auditBuffer.firstAt, lastAt: auditBuffer.lastAt,
                                                      compression: ChunkCompression(taking: &auditBuffer.bytes))
        auditBuffer.count = 0
    }

    private func writeHandedOffAudit() throws {
        guard let chunk = auditBuffer.handedOff else { return }
        auditBuffer.handedOff = nil
        try insertAuditChunk(firstAt: chunk.firstAt, lastAt: chunk.lastAt, count: chunk.count, stored: chunk.compression.take())
    }

    private func insertAuditChunk(firstAt: Int64, lastAt: Int64, count: Int, stored: [UInt8]) throws {
        let s = try database.prepare("INSERT INTO audit_chunks (first_at, last_at, count, entries) VALUES (?, ?, ?, ?)")
        defer { s.reset() }
        try s.bind(1, firstAt)
        try s.bind(2, lastAt)
        try s.bind(3, count)
        try s.bind(4, stored)
        try s.step()
    }

    /// Every event (JSON line) at or after `since` (agent clock), oldest first, optionally only
    /// those about one merchant. Chunks entirely before `since` are not read.
    public func auditEvents(since: Int64 = .min, merchantID: String? = nil, _ body: ([UInt8]) throws -> Void) throws {
        let s = try database.prepareUncached("SELECT entries FROM audit_chunks WHERE last_at >= ? ORDER BY seq", persistent: false)
        defer { s.reset() }
        try s.bind(1, since)
        let needle = merchantID.map { id -> [UInt8] in
            var key = Array("\"platform_merchant_id\":".utf8)
            JSONString.append(id, to: &key)
            return key
        }
        while try s.step() {
            guard let blob = StoredChunk.plain(s.blob(0)) else {
                throw StateError.unreadable("audit_chunks.entries", found: "damaged compressed data")
            }
            for line in blob.split(separator: 0x0a) {
                if let needle, !line.contains(needle) { continue }
                try body(Array(line))
            }
        }
    }
}

extension ArraySlice where Element == UInt8 {
    fileprivate func contains(_ needle: [UInt8]) -> Bool {
        guard needle.count <= count, let first = needle.first else { return needle.isEmpty }
        var i = startIndex
        let last = endIndex - needle.count
        while i <= last {
            if self[i] == first && self[i..<i + needle.count].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}

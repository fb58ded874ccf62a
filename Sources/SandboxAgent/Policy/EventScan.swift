import Foundation
import SandboxCore
import SandboxPolicy

/// The events table as a pass reads it (docs/policy.md §13.1), on a thread of its own
/// (`SideLoad`) with its own read-only connection while the loader's thread reads the merchants.
/// Events are keyed by their merchant id's bytes here and mapped to rows afterwards (`table`).
struct EventScan {
    private(set) var ownerIDs: [String] = []
    private(set) var owner: [Int32] = []
    private(set) var type: [UInt8] = []
    private(set) var severity: [UInt8] = []
    private(set) var day: [Int32] = []
    /// Event index → id and description, only for events recent enough to open a case (sparse:
    /// 82,000 of 2,000,000 in the benchmark's state).
    private var recentIDs = TextColumn(sparse: true)
    private var recentTexts = TextColumn(sparse: true)

    /// Starts reading `path`'s events on a thread of its own.
    static func start(path: String, recentFrom: Int32) -> SideLoad<EventScan> {
        SideLoad("policy-events") { try EventScan(path: path, recentFrom: recentFrom) }
    }

    private init(path: String, recentFrom: Int32) throws {
        let events = try PolicySideReads(path: path)
        let types = CodeLookup(names: EventType.allCases.map(\.rawValue))
        let severities = CodeLookup(names: EventSeverity.allCases.map(\.rawValue))
        // The first instant of the day `recentFrom` in China Standard Time.
        let start = Int64(recentFrom) * 86_400 - 8 * 3600
        var current = -1
        // Appended to locals, stored once: when this was a class each append to a property was
        // checked for exclusive access at run time, four checks an event, 8 % of the scan's
        // instructions (issue 16, session 35).
        var ownerIDs: [String] = [], owner: [Int32] = [], type: [UInt8] = [], severity: [UInt8] = [], day: [Int32] = []
        var recentIDs = TextColumn(sparse: true), recentTexts = TextColumn(sparse: true)
        // One walk of the index: a recent event's id and description are read from its row in the
        // same step. A second walk for the recent events, paired by position through a dictionary
        // of ids, was 40 % of this thread, the longest of the load (issue 16, session 41).
        try events.scanByMerchant(recentFrom: start) { s in
            s.withText(0) { text in
                guard let text else { current = -1; return }
                if current >= 0, ownerIDs[current].withUTF8Bytes({ FieldText.equal(text, $0) }) { return }
                ownerIDs.append(String(decoding: text, as: UTF8.self))
                current = ownerIDs.count - 1
            }
            guard current >= 0 else { return }
            let at = s.int64(3)
            let local = at + 8 * 3600
            owner.append(Int32(current))
            type.append(s.withText(1) { types.code($0) } ?? FactColumn.unknownCode)
            severity.append(s.withText(2) { severities.code($0) } ?? FactColumn.unknownCode)
            day.append(Int32(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400))
            if at >= start {
                s.withText(4) { recentIDs.append(bytes: $0) }
                s.withText(5) { recentTexts.append(bytes: $0) }
            } else {
                recentIDs.append(bytes: nil)
                recentTexts.append(bytes: nil)
            }
        }
        (self.ownerIDs, self.owner, self.type, self.severity, self.day) = (ownerIDs, owner, type, severity, day)
        (self.recentIDs, self.recentTexts) = (recentIDs, recentTexts)
    }

    /// The events grouped by merchant row (CSR), given each owner id's row.
    func table(rows: Int, rowOfOwner: [Int]) -> ElementTable {
        var offsets = [Int32](repeating: 0, count: rows + 1)
        // The rows are in id order and the owners were met in id order: when every owner is a
        // merchant, the events are grouped by row already and the columns are taken as they are.
        var previous = -1
        let inScanOrder = rowOfOwner.allSatisfy { r in defer { previous = r }; return r > previous }
        for o in owner {
            let r = rowOfOwner[Int(o)]
            if r >= 0 { offsets[r + 1] += 1 }
        }
        for r in 0..<rows { offsets[r + 1] += offsets[r] }
        let n = Int(offsets[rows])
        if inScanOrder {
            return ElementTable(offsets: offsets, columns: [
                .eventID: .text(recentIDs), .eventType: .coded(type), .severity: .coded(severity),
                .occurredAt: .date(day, known: Bits(count: n, filled: true)), .description: .text(recentTexts),
            ])
        }
        var next = Array(offsets.dropLast())
        var order = [Int32](repeating: 0, count: n)
        for (e, o) in owner.enumerated() {
            let r = rowOfOwner[Int(o)]
            guard r >= 0 else { continue }
            order[Int(next[r])] = Int32(e)
            next[r] += 1
        }
        // Two million rows, nearly all without a text (only recent events keep theirs): sparse byte
        // columns, not a String? per row nor four bytes per nil row (issue 16).
        var ids = TextColumn(sparse: true), texts = TextColumn(sparse: true)
        for e in order {
            recentIDs.withBytes(Int(e)) { ids.append(bytes: $0) }
            recentTexts.withBytes(Int(e)) { texts.append(bytes: $0) }
        }
        return ElementTable(offsets: offsets, columns: [
            .eventID: .text(ids), .eventType: .coded(order.map { type[Int($0)] }), .severity: .coded(order.map { severity[Int($0)] }),
            .occurredAt: .date(order.map { day[Int($0)] }, known: Bits(count: n, filled: true)), .description: .text(texts),
        ])
    }
}

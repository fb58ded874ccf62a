import Foundation
import SandboxCore
import SandboxPolicy

/// The events table read on a thread of its own, with its own read-only connection, while the
/// pipeline's connection reads merchants, registry and findings (docs/policy.md §13.1: two
/// cores). Events are keyed by their merchant id's bytes here and mapped to rows afterwards.
final class EventScan: @unchecked Sendable {
    private(set) var ownerIDs: [String] = []
    private(set) var owner: [Int32] = []
    private(set) var type: [UInt8] = []
    private(set) var severity: [UInt8] = []
    private(set) var day: [Int32] = []
    /// Event index → (event id, description), for events recent enough to open a case.
    private(set) var recent: [Int: (String?, String?)] = [:]
    private(set) var failure: Error?
    private let done = DispatchSemaphore(value: 0)

    /// Starts reading `path`'s events; `wait()` returns when done.
    init(path: String, recentFrom: Int32) {
        let thread = Thread { [self] in
            do { try scan(path: path, recentFrom: recentFrom) } catch { failure = error }
            done.signal()
        }
        thread.name = "policy-events"
        thread.start()
    }

    func wait() throws {
        done.wait()
        if let failure { throw failure }
    }

    private func scan(path: String, recentFrom: Int32) throws {
        let events = try EventRows(path: path)
        let types = CodeLookup(names: EventType.allCases.map(\.rawValue))
        let severities = CodeLookup(names: EventSeverity.allCases.map(\.rawValue))
        var previous: [UInt8] = []
        var current = -1
        // Appended to locals, stored once: each append to a property of this class was checked
        // for exclusive access at run time, four checks an event, 8 % of the scan's instructions
        // (issue 16, session 35).
        var ownerIDs: [String] = [], owner: [Int32] = [], type: [UInt8] = [], severity: [UInt8] = [], day: [Int32] = []
        try events.scanByMerchant { s in
            s.withText(0) { text in
                guard let text else { current = -1; return }
                if previous.withUnsafeBufferPointer({ FieldText.equal(text, $0) }) { return }
                previous = Array(text)
                ownerIDs.append(String(decoding: text, as: UTF8.self))
                current = ownerIDs.count - 1
            }
            guard current >= 0 else { return }
            let local = s.int64(3) + 8 * 3600
            owner.append(Int32(current))
            type.append(s.withText(1) { types.code($0) } ?? FactColumn.unknownCode)
            severity.append(s.withText(2) { severities.code($0) } ?? FactColumn.unknownCode)
            day.append(Int32(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400))
        }
        (self.ownerIDs, self.owner, self.type, self.severity, self.day) = (ownerIDs, owner, type, severity, day)
        // Ids and descriptions only of events recent enough to open a case, matched by position:
        // the same (merchant, time) order, restricted to recent times (schema v12 dropped the
        // index by time alone).
        let start = (Int64(recentFrom) * 86_400) - 8 * 3600
        var wanted: [String: [(Int64, String?, String?)]] = [:]
        try events.scanRecent(from: start) { r in wanted[r.string(0) ?? "", default: []].append((r.int64(1), r.string(4), r.string(5))) }
        if !wanted.isEmpty {
            // Walk each owner's events (already in time order) and pair the recent ones in order.
            var firstOfOwner = [Int](repeating: -1, count: ownerIDs.count)
            for (e, o) in owner.enumerated().reversed() { firstOfOwner[Int(o)] = e }
            for (o, id) in ownerIDs.enumerated() {
                guard let list = wanted[id], var e = Optional(firstOfOwner[o]), e >= 0 else { continue }
                var k = 0
                while e < owner.count, owner[e] == Int32(o), k < list.count {
                    if day[e] >= recentFrom { recent[e] = (list[k].1, list[k].2); k += 1 }
                    e += 1
                }
            }
        }
    }

    /// The events grouped by merchant row (CSR), given each owner id's row.
    func table(rows: Int, rowOfOwner: [Int]) -> ElementTable {
        var offsets = [Int32](repeating: 0, count: rows + 1)
        var rowOfEvent = [Int32](repeating: -1, count: owner.count)
        for (e, o) in owner.enumerated() {
            let r = rowOfOwner[Int(o)]
            guard r >= 0 else { continue }
            rowOfEvent[e] = Int32(r)
            offsets[r + 1] += 1
        }
        for r in 0..<rows { offsets[r + 1] += offsets[r] }
        var next = Array(offsets.dropLast())
        let n = Int(offsets[rows])
        var order = [Int32](repeating: 0, count: n)
        for (e, r) in rowOfEvent.enumerated() where r >= 0 { order[Int(next[Int(r)])] = Int32(e); next[Int(r)] += 1 }
        rowOfEvent = []
        // Two million rows, nearly all without a text (only recent events keep theirs): sparse byte
        // columns, not a String? per row nor four bytes per nil row (issue 16).
        var ids = TextColumn(sparse: true), texts = TextColumn(sparse: true)
        for e in order {
            let r = recent[Int(e)]
            ids.append(r?.0)
            texts.append(r?.1)
        }
        return ElementTable(offsets: offsets, columns: [
            .eventID: .text(ids), .eventType: .coded(order.map { type[Int($0)] }), .severity: .coded(order.map { severity[Int($0)] }),
            .occurredAt: .date(order.map { day[Int($0)] }, known: Bits(count: n, filled: true)), .description: .text(texts),
        ])
    }
}

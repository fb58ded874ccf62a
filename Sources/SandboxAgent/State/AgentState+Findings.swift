import SandboxCore
import SandboxStorage

// Qualification findings, at most one per (merchant, code).
extension AgentState {
    /// One stored finding as text, compared with a new finding without decoding.
    private struct StoredFinding {
        var code, severity, message, evidenceJSON, basis: String

        func finding(merchantID: String) throws -> Finding {
            // The row's name for an error message, made only when one is thrown (issue 16: a string
            // interpolated for every row read was 3 % of an ingest's registry look-ups).
            func at() -> String { "finding \(code) of \(merchantID)" }
            guard let level = FindingSeverity(rawValue: severity) else {
                throw StateError.unreadable("\(at()) severity", found: severity)
            }
            return Finding(code: code, severity: level, message: message,
                           evidence: try EvidenceJSON.decode(evidenceJSON, "\(at()) evidence_json"), basis: basis)
        }

        func differs(from f: Finding, evidenceJSON newEvidence: String) -> Bool {
            severity != f.severity.rawValue || message != f.message || basis != f.basis || evidenceJSON != newEvidence
        }
    }

    private func storedFindings(merchantID: String) throws -> [StoredFinding] {
        let s = statements.selectFindingRows
        defer { s.reset() }
        try s.bind(1, merchantID)
        var rows: [StoredFinding] = []
        while try s.step() {
            // The row's name for an error message, made only when one is thrown (issue 16: a string
            // interpolated for every row read was 3 % of an ingest's registry look-ups).
            func at() -> String { "finding of \(merchantID)" }
            rows.append(StoredFinding(code: try s.text(0, "\(at()) code"), severity: try s.text(1, "\(at()) severity"),
                                      message: try s.text(2, "\(at()) message"),
                                      evidenceJSON: try s.text(3, "\(at()) evidence_json"),
                                      basis: try s.text(4, "\(at()) basis")))
        }
        return rows
    }

    /// The merchant's open findings, by code.
    public func findings(merchantID: String) throws -> [Finding] {
        try storedFindings(merchantID: merchantID).map { try $0.finding(merchantID: merchantID) }
    }

    /// Makes `new` the merchant's findings and reports what opened, cleared and changed.
    ///
    /// Unchanged findings are not rewritten (their `last_seen` stays at the time they were last
    /// opened or changed): a re-export that changes nothing must dirty no page. A merchant with
    /// no findings before or after costs one index probe.
    ///
    /// `knownEmpty`: the caller knows the merchant has no stored findings (it was inserted in this
    /// transaction), which saves the probe on a first ingest.
    @discardableResult
    public func replaceFindings(merchantID: String, with new: [Finding], now: Int64,
                                knownEmpty: Bool = false) throws -> FindingsChange {
        let change = try findingsChange(merchantID: merchantID, to: new, knownEmpty: knownEmpty)
        try writeFindings(merchantID: merchantID, change: change, now: now)
        return change
    }

    /// What would change if `new` became the merchant's findings; reads, never writes. A reader
    /// connection computes this ahead of the writer, which then only applies it.
    public func findingsChange(merchantID: String, to new: [Finding], knownEmpty: Bool = false) throws -> FindingsChange {
        let old = knownEmpty ? [] : try storedFindings(merchantID: merchantID)
        if old.isEmpty && new.isEmpty { return FindingsChange() }
        for (i, f) in new.enumerated() where new[..<i].contains(where: { $0.code == f.code }) {
            throw StateError.duplicateFindingCode(merchantID: merchantID, code: f.code)
        }
        var change = FindingsChange()
        for f in new {
            if let stored = old.first(where: { $0.code == f.code }) {
                guard stored.differs(from: f, evidenceJSON: EvidenceJSON.encode(f.evidence)) else { continue }
                change.changed.append(f)
            } else {
                change.opened.append(f)
            }
        }
        let gone = old.filter { stored in !new.contains { $0.code == stored.code } }
        change.cleared = try gone.map { try $0.finding(merchantID: merchantID) }
        return change
    }

    /// Applies a change computed by `findingsChange` against the current stored findings.
    /// `evidenceJSON`: the evidence of `change.opened`, then of `change.changed`, encoded already
    /// (by the pipeline's look-ahead); empty: encoded here.
    public func writeFindings(merchantID: String, change: FindingsChange, now: Int64, evidenceJSON: [String] = []) throws {
        guard !change.isEmpty else { return }
        let encoded = evidenceJSON.count == change.opened.count + change.changed.count ? evidenceJSON : nil
        try atomically {
            try noteFactsChanged()
            func write(_ f: Finding, evidence: String, with s: Statement) throws {
                defer { s.reset() }
                try s.bind(all: merchantID, f.code, f.severity, f.message, evidence, f.basis, now)
                try s.step()
            }
            for (i, f) in change.opened.enumerated() {
                try write(f, evidence: encoded?[i] ?? EvidenceJSON.encode(f.evidence), with: statements.insertFinding)
            }
            for (i, f) in change.changed.enumerated() {
                try write(f, evidence: encoded?[change.opened.count + i] ?? EvidenceJSON.encode(f.evidence), with: statements.updateFinding)
            }
            let delete = statements.deleteFinding
            for gone in change.cleared {
                defer { delete.reset() }
                try delete.bind(all: merchantID, gone.code)
                try delete.step()
            }
            try enqueueFeed(.findings, merchantID, now: now)
        }
    }
}

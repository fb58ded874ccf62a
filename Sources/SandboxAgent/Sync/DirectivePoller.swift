import Foundation
import Logging
import SandboxCore
import SandboxWire

/// Carries the regulator's directives to the platform and its registry changes into the state.
///
/// Directives: long poll `GET /v1/directives?after=CURSOR&wait=…`; each answer becomes instruction
/// files in the outbox (one per kind, `guidance-*`, `suspend-*`, … or `directive-*` for other
/// types), and the cursor advances in the transaction that renames them into place — so a crash
/// in between re-fetches the same directives, which repeat the same names. Registry changes:
/// `GET /v1/registry/changes?after=CURSOR` applied with the re-verification of every merchant
/// they touch and the cursor, in one transaction.
public final class DirectivePoller {
    let state: AgentState
    let connection: RegulatorConnection
    let signature: FeedSignature
    let config: AgentConfig
    let clock: AgentClock
    let logger: Logger
    /// Verifies the merchants a registry change or a turnover sum touches (the pipeline's
    /// verification, handed in: the link builds no file pipeline of its own).
    let reverify: MerchantReverifier.Round
    /// Raised when a pack from the regulator became active: the pipeline's runner reloads it.
    let packChanged: PackChangeSignal
    /// Seconds between registry pulls while the long poll runs.
    var registryIntervalSeconds: Int64 = 60
    private var failures = 0
    private var random = SystemRandomNumberGenerator()
    private let policy = RetryPolicy()

    /// Directive types that are platform instructions with an outbox kind of their own.
    static let instructionKinds: Set<String> = ["guidance", "warning", "takedown", "suspend", "terminate", "reinstate", "prompt", "sandbox"]
    /// Instructions the platform must answer with a receipt unless the directive says otherwise.
    static let receiptExpected = ReceiptRule.expectedFor

    init(state: AgentState, connection: RegulatorConnection, signature: FeedSignature, config: AgentConfig,
         clock: AgentClock, logger: Logger, packChanged: PackChangeSignal, reverifier: MerchantReverifier) {
        self.state = state
        self.packChanged = packChanged
        self.connection = connection
        self.signature = signature
        self.config = config
        self.clock = clock
        self.logger = logger
        reverify = reverifier.open(state)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        var credentials = false
    }

    // MARK: Directives

    /// One poll; returns how many new directives were written to the outbox.
    @discardableResult
    func pollDirectives(waitSeconds: Int) throws -> Int {
        let cursor = Int64(try state.meta(SyncMeta.directiveCursor) ?? "0") ?? 0
        let answer = try get(DirectiveList.self, "/v1/directives", query: [("after", String(cursor)), ("wait", String(waitSeconds))],
                             timeout: Double(waitSeconds) + 30)
        let next = answer.nextCursor ?? cursor
        let directives = answer.directives.map(ReceivedDirective.init)
        var written = 0
        try state.transaction {
            var fresh: [ReceivedDirective] = []
            for d in directives where try !state.hasDirective(id: d.id) && !fresh.contains(where: { $0.id == d.id }) {
                fresh.append(d)
            }
            var kinds: [String] = []
            for d in fresh where d.isInstruction && !kinds.contains(d.kind) { kinds.append(d.kind) }
            for kind in kinds {
                let group = fresh.filter { $0.isInstruction && $0.kind == kind }
                let sequence = try state.nextOutboxSequence()
                let file = try OutboxFile(folder: config.outbox, temporaryName: "\(kind)-\(sequence)")
                for d in group { try file.append(line: d.instructionLine(platformID: config.platformID)) }
                let name = OutboxName.make(kind: kind, unixTime: group[0].createdAt, sequence: sequence)
                try file.commit(as: name)
                for d in group { try record(d, fileName: name) }
            }
            // An officer's decision on a proposed step is the policy's to act on: the next pass
            // issues the step (its own instruction file) or not. Nothing for the platform yet.
            for d in fresh where !d.isInstruction { try record(d, fileName: "") }
            // A turnover sum changes findings: their report lines are written with the directives.
            try applyTurnoverSums(fresh.filter { $0.type.lowercased() == "turnover" })
            written = fresh.count
            try state.setMeta(SyncMeta.directiveCursor, String(max(next, cursor)))
            try state.setMeta(SyncMeta.lastDirectivePollAt, String(AgentClock.realUnixTime()))
        }
        if written > 0 {
            logger.info("directives received", metadata: ["count": "\(written)", "cursor": "\(next)"])
        }
        return written
    }

    /// The regulator's sums of exempt turnover across platforms (`turnover` directives, issue 13
    /// correction 9): kept per storefront, and the storefront verified again at once, so the
    /// finding (SMALL_SCALE_TURNOVER_OVER_LIMIT on the sum) comes or goes in this transaction and
    /// its report line with it. Every later verification of the storefront judges the same sum.
    private func applyTurnoverSums(_ sums: [ReceivedDirective]) throws {
        guard !sums.isEmpty else { return }
        _ = try reverify { verify in
            for d in sums {
                guard let merchant = d.merchantID else { continue }
                let sum: TurnoverSumPayload
                do { sum = try TurnoverSumPayload(d.payload) } catch {
                    logger.error("turnover directive refused: the previous sum stands; tell the regulator's operators",
                                 metadata: ["directive": "\(d.id)", "merchant": "\(merchant)", "error": "\(error)"])
                    try state.audit(AuditEvent(
                        at: clock.unixTime, actor: .agent, kind: "directive_refused", merchantID: merchant, uscc: d.uscc,
                        subject: d.id, detail: "turnover \(d.id) refused: \(error); the previous sum stands",
                        record: try d.instructionLine(platformID: config.platformID)))
                    continue
                }
                try state.keepRegulatorTurnover(merchantID: merchant, summedFen: sum.summedFen, shops: sum.shops, over: sum.over,
                                                directiveID: d.id, now: clock.unixTime)
                try verify(merchant)
            }
        }
    }

    /// Files a directive as received (with its payload when a policy pass applies it) and audits
    /// it; a regulator `event` is also counted like an exported event.
    private func record(_ d: ReceivedDirective, fileName: String) throws {
        let payload = d.type == "sandbox" || d.type == "confirmation"
            ? (try? JSONSerialization.data(withJSONObject: d.payload, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) }
            : nil
        try state.recordDirective(id: d.id, cursor: d.cursor, type: d.type, merchantID: d.merchantID,
                                  uscc: d.uscc, fileName: fileName, receivedAt: clock.unixTime, payload: payload)
        if let event = RegulatorEvent.record(d) {
            // Counted by the next policy pass like an exported event (same key rules).
            try state.upsert(event, hash: contentHash(.event(event)), now: clock.unixTime)
        }
        let reason = (d.payload["reason"] as? String).map { ": \($0)" } ?? ""
        let whereTo = fileName.isEmpty
            ? (d.type.lowercased() == "turnover" ? "the storefront verified on the sum" : "kept for the next policy pass")
            : "written to \(fileName)"
        try state.audit(AuditEvent(
            at: clock.unixTime, actor: .regulator, kind: "directive", merchantID: d.merchantID, uscc: d.uscc,
            subject: d.id, detail: "\(d.type) \(d.isInstruction ? "instruction" : "decision") \(d.id)\(reason); \(whereTo)",
            record: try d.instructionLine(platformID: config.platformID)))
    }

    // MARK: Registry changes

    /// Pulls every registry change after the stored cursor; returns how many were applied.
    @discardableResult
    func pullRegistryChanges() throws -> Int {
        var total = 0
        while true {
            let cursor = Int64(try state.meta(SyncMeta.registryCursor) ?? "0") ?? 0
            let answer = try get(RegistryChanges.self, "/v1/registry/changes",
                                 query: [("after", String(cursor)), ("limit", "1000")], timeout: 60)
            let changes = answer.changes
            let next = answer.nextCursor ?? cursor
            guard !changes.isEmpty else { return total }
            var findingsChanged = 0
            try state.transaction {
                findingsChanged = try reverify { verify in
                    var affected = Set<String>()
                    for change in changes {
                        guard let record = RegistryEntryJSON.record(change) else {
                            logger.warning("registry change skipped: not a valid registry entry",
                                           metadata: ["cursor": "\(change["cursor"]?.intValue ?? -1)"])
                            continue
                        }
                        // The entry's text as the agent always hashed it (JSONSerialization, sorted
                        // keys, no cursor), so an entry stored before stays `unchanged`.
                        let entry = (change.foundationObject as? [String: Any] ?? [:]).filter { $0.key != "cursor" }
                        let data = try JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys])
                        let hash = Int64(bitPattern: FNV1a.hash(Array(data)))
                        if try state.upsert(record, hash: hash, now: clock.unixTime) != .unchanged {
                            affected.formUnion(try state.merchantIDs(uscc: record.uscc))
                        }
                    }
                    for id in affected.sorted() { try verify(id) }
                }
                try state.setMeta(SyncMeta.registryCursor, String(max(next, cursor)))
            }
            total += changes.count
            logger.info("registry changes applied", metadata: ["changes": "\(changes.count)",
                                                               "findings_changed": "\(findingsChanged)"])
            if next <= cursor { return total }
        }
    }

    // MARK: Loop

    /// Long-polls until `stop()`; pulls registry changes at start and every `registryIntervalSeconds`.
    public func run(stop: () -> Bool) {
        var lastRegistryPull: Int64 = 0
        var lastPackCheck: Int64 = 0
        while !stop() {
            do {
                if let policy = config.policy, AgentClock.realUnixTime() - lastPackCheck >= Int64(policy.checkSeconds) {
                    lastPackCheck = AgentClock.realUnixTime()
                    try pullRulePack()
                }
                if AgentClock.realUnixTime() - lastRegistryPull >= registryIntervalSeconds {
                    try pullRegistryChanges()
                    lastRegistryPull = AgentClock.realUnixTime()
                }
                try pollDirectives(waitSeconds: 20)
                if failures > 0 { logger.notice("directive poll works again") }
                failures = 0
            } catch {
                failures += 1
                let credentials = (error as? Failure)?.credentials ?? false
                let wait = credentials ? 60 : max(1, policy.backoff(failedAttempts: failures, random: &random))
                if failures == 1 || failures % 20 == 0 {
                    logger.warning("directive poll failed; retrying", metadata: [
                        "attempt": "\(failures)", "retry_in_s": "\(FeedSyncer.seconds(wait))", "reason": "\(error)"])
                }
                let until = AgentClock.realUnixMilliseconds() + Int64(wait * 1000)
                while !stop() && AgentClock.realUnixMilliseconds() < until { usleep(100_000) }
            }
        }
    }

    // MARK: HTTP

    private func get<Answer: Decodable>(_ answer: Answer.Type, _ path: String, query: [(String, String)],
                                        timeout: Double) throws -> Answer {
        let response: HTTPResponse
        do {
            response = try connection.send(HTTPRequest(method: .get, path: path, query: query,
                                                       headers: [signature.authorization], timeoutSeconds: timeout))
        } catch {
            throw Failure(description: error.description)
        }
        guard response.status == 200 else {
            throw Failure(description: "\(path): regulator answered HTTP \(response.status): \(HTTPFeedSink.serverMessage(response))",
                          credentials: response.status == 401 || response.status == 403)
        }
        do {
            return try WireJSON.decode(Answer.self, from: response.body)
        } catch {
            throw Failure(description: "\(path): the regulator's answer is not the \(Answer.self) of the API (\(error)); "
                + "check that the regulator's version matches this agent's")
        }
    }
}

/// One directive as the agent acts on it: the wire's `Directive` (SandboxWire, the type the
/// regulator encodes), its payload as the objects `JSONSerialization` writes into instruction
/// lines, and its time as Unix seconds.
struct ReceivedDirective {
    var id: String
    var cursor: Int64
    var type: String
    var merchantID: String?
    var uscc: String?
    var payload: [String: Any]
    var createdAtText: String
    var createdAt: Int64

    init(_ d: Directive) {
        id = d.id
        cursor = d.cursor
        type = d.type
        merchantID = d.platformMerchantID
        uscc = d.uscc
        payload = d.payload.foundationObject as? [String: Any] ?? [:]
        createdAtText = d.createdAt
        createdAt = (try? DateField.dateTime(createdAtText)) ?? 0
    }

    /// Whether it becomes a line of an outbox file: all but an officer's decision on a proposed
    /// ladder step (`confirmation`), which the policy pass applies.
    /// An officer's decision on a proposed step and a turnover sum are not instructions: the
    /// policy pass or the verifier acts on them, and what the platform must do follows from that.
    var isInstruction: Bool { !["confirmation", "turnover"].contains(type.lowercased()) }

    /// The outbox kind: the instruction kinds of DESIGN.md §3, `directive` for anything else.
    var kind: String {
        let t = type.lowercased()
        return DirectivePoller.instructionKinds.contains(t) ? t : "directive"
    }

    /// The instruction line: the payload's fields (rule, reason, basis, evidence, deadline, …)
    /// under the envelope every instruction carries.
    func instructionLine(platformID: String) throws -> [UInt8] {
        var line = payload
        line["instruction_id"] = id
        line["type"] = type
        line["source"] = "regulator"
        line["platform_id"] = platformID
        line["platform_merchant_id"] = merchantID ?? NSNull()
        line["uscc"] = uscc ?? NSNull()
        line["issued_at"] = createdAtText
        line["directive_cursor"] = cursor
        if line["receipt_expected"] == nil {
            line["receipt_expected"] = DirectivePoller.receiptExpected.contains(type.lowercased())
        }
        return Array(try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys, .withoutEscapingSlashes]))
    }
}

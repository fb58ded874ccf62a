import Foundation
import Logging
import SandboxCore
import SandboxPolicy

/// Runs policy passes on the pipeline's thread (docs/policy.md §1, §12): loads the facts, runs
/// the pure pass, writes its outcome in one transaction, and remembers when something is due
/// next. A pass is re-derivable from the state, so a crash before its commit loses nothing.
public final class PolicyRunner {
    let state: AgentState
    let config: AgentConfig
    let logger: Logger
    let store: RulePackStore?
    /// Raised by the directives thread when it activated a pack from the regulator.
    public let packChanged: PackChangeSignal
    /// The active pack's verification numbers, for the pipeline's and the link's verification.
    public let verification = ActiveVerification()
    private(set) var active: RulePackStore.Active? {
        didSet { verification.set(active?.pack.verification ?? .standard) }
    }
    /// The next instant a pass must run even without new data (a deadline, a step, midnight).
    public private(set) var nextDue: Int64 = 0
    private var started = false

    /// What a running agent keeps between passes (see `run`).
    struct Cache {
        var version: Int64
        var packSerial: Int
        var loaded: PolicyLoader.Loaded
        var caseIndex: [CaseSummary]
        var ledger: PromptLedger
        var awaited: [AwaitedInstruction]
        var eventCaseKeys: Set<String>
    }
    private var cache: Cache?
    /// Whether a pass keeps the columns and folds what it decided into the policy's memory for
    /// the next (the running agent). `run --once` ends after its pass: what it would keep — the
    /// prompt ledger, the case index, the instructions awaiting a receipt, ≈ 60 MB at 469,000
    /// merchants and built up to the pass's end — is not built (issue 16).
    public var keepsForNextPass = true

    /// Forgets the columns (a new pack, or the caller knows the state changed underneath).
    func dropCache() { cache = nil }

    /// What one pass did, for the log, `run --once` and the tests.
    public struct Report: Sendable {
        public var packVersion: String
        public var merchants = 0
        public var classDecisions = 0, casesOpened = 0, casesChanged = 0, instructions = 0, prompts = 0
        public var rosterChanges = 0, files: [String] = []
        public var seconds: Double = 0
        public var timings: [(String, Double)] = []

        /// Counts a part of the outcome.
        mutating func count(_ part: PolicyOutcome) {
            classDecisions += part.classDecisions.count
            casesOpened += part.openedCases.count
            casesChanged += part.changedCases.count
            rosterChanges += part.rosterDecisions.count
            prompts += part.prompts.count
        }
    }

    init(state: AgentState, config: AgentConfig, logger: Logger, packChanged: PackChangeSignal = PackChangeSignal()) {
        self.state = state; self.config = config; self.logger = logger; self.packChanged = packChanged
        store = config.policy.map { RulePackStore(state: state, policy: $0, stateDir: config.stateDir, logger: logger) }
    }

    public var packVersion: String? { active?.pack.packVersion }

    /// A runner on its own writer connection (benchmarks and tools).
    public static func open(config: AgentConfig, logger: Logger) throws -> PolicyRunner {
        PolicyRunner(state: try AgentState(path: config.databasePath), config: config, logger: logger)
    }

    /// A read-only connection in a read snapshot for the pass's thread; nil if it cannot be opened
    /// (the pass then runs on this thread).
    private func openReader() -> AgentState? {
        guard let reader = try? AgentState(path: state.database.path, readOnly: true, cacheKiB: AgentState.smallCacheKiB),
              (try? reader.beginReadSnapshot()) != nil else {
            logger.warning("policy pass: no read connection for a second thread; the pass runs on one")
            return nil
        }
        return reader
    }

    /// Loads the active pack once (stored, else `[policy] pack_file`).
    func start(now: Int64) {
        guard !started else { return }
        started = true
        guard let store else { return }
        active = store.activeAtStart(now: now)
        if active == nil {
            logger.error("no rule pack: classes, cases and prompts are not decided until a signed pack is available ([policy] pack_file, or the regulator's GET /v1/rulepack)")
        }
    }

    /// True when a pass is due by the clock, or the link thread stored a new pack.
    func isDue(now: Int64) -> Bool { (active != nil && now >= nextDue) || packChanged.isRaised }

    /// Takes a pack the link thread activated, or a pending pack whose effective day has come
    /// (verified again from the stored bytes).
    private func reloadIfChanged(now: Int64) {
        guard let store else { return }
        let today = PolicyCalendar.day(of: now)
        let pending = today == lastPassDay ? nil
            : try? state.pendingRulePacks(effectiveBy: today)
        let pendingDue = (pending ?? 0) > 0
        lastPassDay = today
        guard packChanged.take() || pendingDue else { return }
        if let fresh = store.activeAtStart(now: now) { active = fresh; cache = nil }
    }
    private var lastPassDay = Int.min

    /// One pass at `now`; nil without a pack.
    @discardableResult
    public func run(now: Int64) throws -> Report? {
        start(now: now)
        reloadIfChanged(now: now)
        guard let active else { return nil }
        let clock = ContinuousClock()
        let began = clock.now
        let pack = active.pack
        let today = CivilDate(unixTime: now)
        // The columns stay in memory between passes while nothing the policy reads has changed
        // (the inputs version is bumped by every commit that changes merchants, licences,
        // events, registry or findings); the policy's own state is carried from each outcome.
        let version = try state.inputsVersion()
        var loaded: PolicyLoader.Loaded
        let caseIndex: [CaseSummary]
        let ledger: PromptLedger
        let awaited: [AwaitedInstruction]
        let eventCaseKeys: Set<String>
        /// Whether this pass read the facts from the state (not the running agent's columns).
        var loadedFromState = false
        if var c = cache, c.version == version, c.packSerial == pack.header.serial {
            c.loaded.facts.today = today
            loaded = c.loaded
            caseIndex = c.caseIndex
            ledger = c.ledger
            awaited = c.awaited
            eventCaseKeys = c.eventCaseKeys
            // What the pass changes is folded into a new cache; this one would only hold memory.
            cache = nil
        } else {
            (loaded, caseIndex, ledger, awaited, eventCaseKeys) = try state.withSmallPageCache {
                (try PolicyLoader(state: state).load(pack: pack, today: today), try state.caseIndex(), try state.promptLedger(),
                 try state.awaitedInstructions(), try state.eventCaseKeys())
            }
            loadedFromState = true
        }
        let receipts = try state.unmatchedPolicyReceipts()
        // With two threads or three the engine and the renderer run on threads of their own (one
        // each, or one for both), and ask the state through a read-only connection of theirs
        // (`PolicyPassThread`). Without one (it cannot be opened) the pass runs on this thread
        // alone, as with `pass_threads = 1`.
        let reader = (config.policy?.passThreads ?? 3) > 1 ? openReader() : nil
        let box = StateBox(state: reader ?? state)
        let facts = loaded.facts
        // Handed to the pass as its only reference (the states are changed in place).
        var given: PolicyPassInput? = PolicyPassInput(
            pack: pack, platformID: config.platformID, now: now, facts: facts, states: loaded.states,
            openCases: [], eventCaseKeys: eventCaseKeys, awaited: awaited,
            receipts: receipts.receipts, ledger: ledger,
            directives: try state.pendingSandboxDirectives(),
            nextCaseNumber: Int(try state.meta("policy.next_case") ?? "1") ?? 1,
            nextInstructionNumber: Int(try state.meta("policy.next_instruction") ?? "1") ?? 1,
            findingEvidence: { row, code in box.findingEvidence(merchantID: facts.merchantID(row), code: code) },
            earlierCases: { subject, rule, from, before in box.earlierCases(subject, rule, from, before) })
        // The pass changes the states in place and returns them (`statesAfter`): no copy is held here.
        loaded.states = []
        given!.fieldText = { row, field in box.text(merchantID: facts.merchantID(row), field) }
        given!.caseIndex = caseIndex
        given!.rowOf = loaded.rowOf
        given!.loadCase = { id in box.policyCase(id) }
        given!.receiptCases = receipts.cases
        given!.proposalDecisions = try state.pendingProposalDecisions()
        let loadedAt = clock.now
        var lines = PolicyLines(platformID: config.platformID, pack: pack, facts: loaded.facts, rowOf: loaded.rowOf)
        lines.fetch = { id, field in field == .shopName ? box.shopName(merchantID: id) : box.text(merchantID: id, field) }
        let casesBefore = CaseIndex(caseIndex)
        var carry: PolicyCarry? = !keepsForNextPass ? nil
            : PolicyCarry(loaded: loaded, caseIndex: casesBefore, ledger: ledger, awaited: awaited,
                          eventCaseKeys: eventCaseKeys, pack: pack, version: version, now: now)
        var report = Report(packVersion: pack.packVersion)
        // A pack's first pass writes a decision for every merchant in one transaction: a larger page
        // cache for it (AgentState.largeWriteCacheKiB, docs/benchmarks.md).
        var large = false
        defer { if large { try? state.useLargeWriteCache(false) } }
        // `idle`: this thread's time after loading not spent writing (running the engine and
        // rendering, or waiting for the pass's thread to hand over a part).
        var engineSeconds = 0.0, idle = 0.0, wroteAt = clock.now
        let blockRows = config.policy?.passBlockMerchants ?? 16_384
        let renderer = PolicyRenderer(platformID: config.platformID, pack: pack, lines: lines, now: now,
                                      casesBefore: casesBefore, sandboxNumber: try PolicyWriter.sandboxNumber(state))
        // One thread for the whole pass (`pass_threads = 1`) compresses its chunks on it too.
        state.compressesChunksApart = reader != nil
        defer { state.compressesChunksApart = true }
        // The pass writes through the small page cache until `take` finds it a large write.
        let (last, written) = try state.withSmallPageCache { try state.transaction {
            let writer = PolicyWriter(state: state, config: config, pack: pack, now: now)
            // The engine hands each part over as it decides it; the part is folded into what the
            // running agent keeps, rendered and written chunk by chunk, and then freed.
            func take(_ r: RenderedPart) throws {
                if let part = r.part {
                    report.count(part)
                    if !large, report.classDecisions + report.prompts + report.rosterChanges > 100_000 {
                        large = true
                        try state.useLargeWriteCache(true)
                    }
                    carry?.fold(part)
                }
                try writer.write(r)
            }
            let whole = given!
            given = nil
            let decided = try decide(consume whole, blockRows: blockRows, renderer: renderer, reader: reader, clock: clock,
                                     releasesFreedMemory: loadedFromState, write: take)
            let last = decided.last
            (engineSeconds, idle) = (decided.engineSeconds, decided.idle)
            let written = try writer.finish(last, sandboxNumber: renderer.sandboxNumber)
            wroteAt = clock.now
            return (last, written)
        } }
        let committedAt = clock.now
        nextDue = last.nextDue
        cache = carry?.cache(statesAfter: last.statesAfter)
        let end = clock.now
        report.merchants = loaded.facts.rows
        report.instructions = written.instructions
        report.prompts = written.prompts
        report.files = written.files
        report.seconds = (end - began).inSeconds
        // `evaluate`: the engine's stages; `render`: the lines and items rendered and compressed
        // (`r_*` by part), on the pass's thread when there are two; `write`: this thread's time
        // after loading spent writing (the writer's parts `w_*`, the commit and what is kept for
        // the next pass), not running the engine or waiting for it. `commit`: the transaction's
        // last flushes and COMMIT (the WAL written and synced).
        let rendering = PolicyWriter.parts.dropLast().map { ("r_" + $0, renderer.seconds[$0] ?? 0) }
        report.timings = [("load", (loadedAt - began).inSeconds)] + last.timings + [("evaluate", engineSeconds),
                                                                                ("render", rendering.reduce(0) { $0 + $1.1 }),
                                                                                ("write", (end - loadedAt).inSeconds - idle)]
            + rendering + written.timings + [("commit", (committedAt - wroteAt).inSeconds)]
        var meta: Logger.Metadata = [
            "pack": "\(pack.packVersion)", "merchants": "\(report.merchants)", "class_decisions": "\(report.classDecisions)",
            "cases_opened": "\(report.casesOpened)", "cases_changed": "\(report.casesChanged)",
            "instructions": "\(report.instructions)", "prompts": "\(report.prompts)", "roster_changes": "\(report.rosterChanges)",
            "next_due": "\(UTCTime.rfc3339(nextDue))",
        ]
        for (name, t) in report.timings { meta["t_" + name] = "\(String(format: "%.3f", t))" }
        logger.info("policy pass", metadata: meta)
        return report
    }

    /// Runs the engine, renders its parts and has `write` write them: the engine and the renderer
    /// on threads of their own when there is a `reader` for them, else here. The engine is pure
    /// and cannot fail: a failed write is thrown after the engine has returned (on two threads,
    /// the queue is closed so that it renders no more), and the caller's transaction rolls back.
    /// Returns the last part, the engine's seconds, and this thread's time not spent writing.
    private func decide(_ whole: consuming PolicyPassInput, blockRows: Int, renderer: PolicyRenderer, reader: AgentState?,
                        clock: ContinuousClock, releasesFreedMemory: Bool, write: (RenderedPart) throws -> Void)
        throws -> (last: PolicyOutcome, engineSeconds: Double, idle: Double) {
        var failure: Error?
        var idle = 0.0
        guard let reader else {
            // The engine's `deliver` may escape; it does not outlive `run`. The input goes in as its
            // only reference (the states are changed in place).
            var input: PolicyPassInput? = consume whole
            let last = withoutActuallyEscaping(write) { write in
                func give(_ r: RenderedPart) {
                    guard failure == nil else { return }
                    do { try write(r) } catch { failure = error }
                }
                let only = input.take()!
                let last = PolicyPass.run(consume only, blockRows: blockRows) { part in
                    if failure == nil { renderer.render(part, deliver: give) }
                }
                if failure == nil { renderer.render(last, deliver: give) }
                return last
            }
            if let failure { throw failure }
            let engineSeconds = last.timings.reduce(0) { $0 + $1.1 }
            return (last, engineSeconds, engineSeconds + renderer.seconds.values.reduce(0, +))
        }
        let thread = PolicyPassThread(input: consume whole, blockRows: blockRows, renderer: renderer, reader: reader,
                                      engineApart: (config.policy?.passThreads ?? 3) > 2,
                                      releasesFreedMemory: releasesFreedMemory)
        thread.start()
        while true {
            let asked = clock.now
            guard let r = thread.parts.take() else { break }
            idle += (clock.now - asked).inSeconds
            do { try write(r) } catch {
                failure = error
                thread.parts.close()
                break
            }
            thread.recycle(r)
        }
        let asked = clock.now
        let last = thread.join()
        idle += (clock.now - asked).inSeconds
        if let failure { throw failure }
        return (last, thread.engineSeconds, idle)
    }
}

/// Lets the pure pass ask the state for the few things it needs per decision (finding evidence
/// of a case being opened, earlier cases of a rectified one), and the renderer for shop names.
/// On one thread, the pipeline's, which owns the state; or, on the pass's read connection, the
/// engine's and the renderer's threads (`PolicyPassThread`), one at a time.
final class StateBox: @unchecked Sendable {
    let state: AgentState
    /// The connection and `texts` are used by one thread at a time.
    private let lock = NSLock()
    init(state: AgentState) { self.state = state }

    func findingEvidence(merchantID: String, code: String) -> [PolicyEvidence] {
        let list = lock.withLock { (try? state.findingEvidence(merchantID: merchantID, code: code)) ?? [] }
        return list.map { PolicyEvidence(field: $0.field, expected: $0.expected, found: $0.found, source: code) }
    }

    private var texts: [String: [ConditionField: String]] = [:]
    /// A merchant's text fields (and its registry entry's), read once for the several a case's
    /// evidence asks for. The merchants read last are kept, not all: a first pass opens 81,685
    /// cases, and a dictionary of texts per merchant was tens of MB held to the end (issue 16).
    func text(merchantID: String, _ field: ConditionField) -> String? {
        lock.withLock {
            if let known = texts[merchantID] { return known[field] }
            if texts.count >= 4_096 { texts.removeAll(keepingCapacity: true) }
            let row = (try? state.caseTexts(merchantID: merchantID)) ?? [:]
            texts[merchantID] = row
            return row[field]
        }
    }

    /// An instruction line's shop name: from the texts a case's evidence read, or alone.
    func shopName(merchantID: String) -> String? {
        lock.withLock {
            if let known = texts[merchantID] { return known[.shopName] }
            return (try? state.shopName(merchantID: merchantID)) ?? nil
        }
    }

    func policyCase(_ id: String) -> PolicyCase? { lock.withLock { try? state.policyCase(id: id) } }

    func earlierCases(_ subject: String, _ rule: String?, _ from: Int, _ before: Int) -> [String] {
        lock.withLock { (try? state.earlierCaseIDs(subject: subject, ruleID: rule, fromDay: from, beforeDay: before)) ?? [] }
    }
}

extension PolicyFacts {
    func merchantID(_ row: Int) -> String {
        if case .text(let ids)? = columns[.merchantID] { return ids[row] ?? "" }
        return ""
    }
}

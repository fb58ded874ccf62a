import Crypto
import Foundation
import Hummingbird
import SandboxCore
import SandboxFormats
import SandboxPack
import SandboxService
import SandboxWire

/// The regulator's HTTP routes (docs/api/openapi.yaml), over one store.
public struct RegulatorRouter: Sendable {
    public let store: RegulatorStore
    public let authenticator: Authenticator
    public let limits: RegulatorLimits
    public let bell: DirectiveBell
    public let metrics: RequestMetrics
    /// Publishes rule packs against the keys of `serve --rulepack-keys` (refuses all without them).
    public let publisher: RulePackPublisher
    /// When each platform last polled for directives (GET /v1/admin/platforms).
    public let contacts = PlatformContacts()
    /// Failed staff logins, per username and address (LoginThrottle).
    public let throttle = LoginThrottle()
    /// The cost of new staff password hashes, and the thread that makes and checks them.
    public let passwords: StaffPasswords
    /// The console's cookies carry `Secure` (TLS is in front of the regulator).
    let consoleSecureCookies: Bool
    /// What feed and receipts requests may hold together (`limits.maxInflightBytes`)…
    let budget: IntakeBudget
    /// …and the threads their CPU work runs on.
    let workers: IntakeWorkers

    static let idempotencyKey = Authenticator.idempotencyKey

    /// A staff login (API and console alike): the throttle, the password check, the session.
    var staffLogin: StaffLogin { StaffLogin(store: store, throttle: throttle, passwords: passwords) }

    public init(store: RegulatorStore, directory: PlatformDirectory, limits: RegulatorLimits = RegulatorLimits(),
                bell: DirectiveBell = DirectiveBell(), metrics: RequestMetrics = RequestMetrics(),
                rulePackKeys: TrustedKeys? = nil, workers: IntakeWorkers = .shared, consoleSecureCookies: Bool = false,
                passwords: StaffPasswords = StaffPasswords()) {
        self.store = store
        self.consoleSecureCookies = consoleSecureCookies
        self.passwords = passwords
        self.budget = IntakeBudget(capacity: limits.maxInflightBytes)
        self.workers = workers
        self.publisher = RulePackPublisher(keys: rulePackKeys, store: store)
        self.authenticator = Authenticator(directory: directory)
        self.limits = limits
        self.bell = bell
        self.metrics = metrics
    }

    /// The API's routes, by audience. Who is calling is settled once per request by
    /// `IdentityMiddleware`; what they may do, by the gate of each group: platform routes check
    /// the platform (and its HMAC over the body); `/v1/admin` passes staff and the admin token
    /// only, writes every request to the audit trail, and lets each role do only its part. The
    /// server (`build`, Run/) mounts the console beside them and then fills `table` with every
    /// route, for the 405 answers.
    func apiRoutes() -> (router: Router<RegulatorRequestContext>, table: RouteTable) {
        let router = Router(context: RegulatorRequestContext.self)
        let table = RouteTable()
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.add(middleware: MethodNotAllowedMiddleware(table: table))
        router.add(middleware: RefusalLog())
        router.add(middleware: IdentityMiddleware(authenticator: authenticator, store: store))
        router.get("/healthz") { _, _ in try await health() }
        router.get("/metrics") { _, _ in try await metricsText() }

        // Platforms (their agents).
        router.post("/v1/feeds") { request, _ in try await postFeed(request) }
        router.get("/v1/directives") { request, _ in try await getDirectives(request) }
        router.post("/v1/receipts") { request, _ in try await postReceipts(request) }
        router.get("/v1/rulepack") { request, _ in try await getRulePack(request) }
        router.get("/v1/registry/changes") { request, _ in try await getRegistryChanges(request) }

        // Staff: their own session, then the staff views and decisions.
        StaffController(store: store, staffLogin: staffLogin).addRoutes(to: router.group("/v1/staff"))
        let admin = router.group("/v1/admin").add(middleware: StaffGate(store: store))
        admin.get("merchants/:uscc") { _, context in try await getProfile(context) }
        let readers = admin.group().add(middleware: RoleGate(.city, .auditor))
        readers.get("directives/:id") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard let status = try await store.read({ try $0.directiveStatus(id: id) }) else {
                throw APIError(.notFound, "no directive \(id)")
            }
            return JSONResponse.make(.ok, status)
        }
        readers.get("roster") { request, _ in try await getRoster(request) }
        readers.get("cases") { request, _ in try await getCases(request) }
        readers.get("platforms") { request, _ in try await getPlatforms(request) }
        readers.get("stats") { _, _ in JSONResponse.make(.ok, try await store.read { try $0.stats() }) }
        let city = admin.group().add(middleware: RoleGate(.city))
        city.post("directives") { request, context in try await postDirective(request, context) }
        city.post("rulepack") { request, _ in try await postRulePack(request) }
        city.post("roster/:uscc") { request, context in
            try await postRosterOverride(request, uscc: context.parameters.get("uscc") ?? "")
        }
        StaffAdminController(store: store, bell: bell, passwords: passwords).addRoutes(to: admin)
        LeadsController(store: store, bell: bell).addRoutes(to: admin)
        ReportsController(store: store).addRoutes(to: admin)
        RepairsController(store: store).addRoutes(to: admin)
        DeterminationsController(store: store, bell: bell).addRoutes(to: admin)
        ProposalsController(store: store, bell: bell).addRoutes(to: admin)
        DrawsController(store: store, bell: bell).addRoutes(admin: admin, public: router)
        return (router, table)
    }

    /// GET /v1/admin/merchants/{uscc}: the merged profile, for staff whose jurisdiction holds the
    /// enterprise. Outside it the answer is the same 404 as for a USCC never filed (and the
    /// attempt is audited as denied).
    func getProfile(_ context: RegulatorRequestContext) async throws -> Response {
        let uscc = context.parameters.get("uscc") ?? ""
        try await context.requireJurisdiction(over: uscc, store: store, denied: JurisdictionDenied(uscc: uscc))
        guard let profile = try await store.read({ try $0.profile(uscc: uscc, now: Timestamp.now()) }) else {
            throw APIError(.notFound, "nothing is filed under USCC \(uscc)")
        }
        return JSONResponse.make(.ok, profile)
    }

    // MARK: Operations

    func health() async throws -> Response {
        do { try await store.ping() } catch {
            return JSONResponse.make(.serviceUnavailable, ["status": "database not answering"])
        }
        return JSONResponse.make(.ok, ["status": "ok", "version": ProjectVersion.current])
    }

    func metricsText() async throws -> Response {
        let total = try await store.read { try $0.stats() }.total
        var text = metrics.exposition()
        func counter(_ name: String, _ help: String, _ values: [(String, Int)]) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) counter\n"
            for (label, v) in values { text += "\(name){result=\"\(label)\"} \(v)\n" }
        }
        counter("sandbox_regulator_batches_total", "Feed batches by result.",
                [("accepted", total.batchesAccepted), ("duplicate", total.batchesDuplicate)])
        counter("sandbox_regulator_items_total", "Feed items by result.",
                [("accepted", total.itemsAccepted), ("rejected", total.itemsRejected)])
        text += "# HELP sandbox_regulator_merchant_records Merchant records stored.\n"
        text += "# TYPE sandbox_regulator_merchant_records gauge\n"
        text += "sandbox_regulator_merchant_records \(total.merchantRecords)\n"
        let platforms = try await platformHealth(now: Timestamp.now(), silentAfter: Self.defaultSilentAfter)
        func gauge(_ name: String, _ help: String, _ value: (PlatformHealth) -> Int64) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n"
            for p in platforms { text += "\(name){platform_id=\"\(p.platformID)\"} \(value(p))\n" }
        }
        gauge("sandbox_regulator_platform_last_contact_timestamp_seconds",
              "Unix time of the platform's last batch, receipt or directive poll (0: none seen).") { $0.lastContactAt ?? 0 }
        gauge("sandbox_regulator_platform_directives_awaiting_receipt",
              "The platform's directives that expect a receipt and have none yet.") { Int64($0.directivesAwaitingReceipt) }
        var buffer = ByteBuffer()
        buffer.writeString(text)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: buffer))
    }

    // MARK: Helpers

    /// The whole body, or 413 past `limit`.
    func body(_ request: Request, limit: Int) async throws -> [UInt8] {
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError(.contentTooLarge, "body larger than \(limit) bytes; send smaller batches")
        }
    }

    func query(_ request: Request, _ name: String, default fallback: Int64, in range: ClosedRange<Int64>) throws -> Int64 {
        Int64(try QueryParameters.integer(request, name, default: Int(fallback), in: Int(range.lowerBound)...Int(range.upperBound)))
    }

    // MARK: Platform side

    func postFeed(_ request: Request) async throws -> Response {
        let platform = try authenticator.platform(request)
        guard let key = request.headers[Self.idempotencyKey], (1...200).contains(key.utf8.count),
              key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw APIError(.badRequest, "`Idempotency-Key` header required: the batch id, 1…200 printable ASCII characters")
        }
        let platformID = platform.id, maxLines = limits.maxLines, maxLineBytes = limits.maxLineBytes
        let ((items, rejected), digest, share) = try await takeIn(request, platform: platform, gzipRequired: true) { body, share in
            try FeedBatchParser.read(BodyLines(source: body, maxLineBytes: maxLineBytes), platformID: platformID,
                                     maxLines: maxLines, keep: share.grow(by:))
        }
        // The items are held until they are stored.
        defer { share.release() }
        // The digest is over the decompressed lines: a client that compresses the same batch
        // again (another gzip header time) is still replaying, not reusing the key.
        switch try await store.write({ [items, rejected] s in
            try s.applyFeed(platformID: platformID, batchKey: key, bodyDigest: digest, items: items, rejected: rejected,
                            now: Timestamp.now())
        }) {
        case .applied(let answer):
            store.intakeApplied(items: answer.accepted)
            return JSONResponse.make(.ok, answer)
        case .duplicate(let answer):
            return JSONResponse.make(.ok, answer)
        case .keyReused:
            throw APIError(.conflict, "Idempotency-Key \(key) was already used for a different batch; give each batch its own id")
        }
    }

    func getDirectives(_ request: Request) async throws -> Response {
        let platform = try authenticator.platform(request)
        contacts.polled(platform.id, at: Timestamp.now())
        let after = try query(request, "after", default: 0, in: 0...Int64.max)
        let wait = try query(request, "wait", default: 0, in: 0...60)
        let deadline = ContinuousClock.now + .seconds(wait)
        while true {
            // Read the bell before querying, so a directive created in between is not slept through.
            let seen = bell.current
            let found = try await store.read { try $0.directives(platformID: platform.id, after: after, limit: 500) }
            let left = ContinuousClock.now.duration(to: deadline)
            if !found.isEmpty || left <= .zero {
                return JSONResponse.make(.ok, DirectiveList(directives: found, nextCursor: found.last?.cursor ?? after))
            }
            await bell.wait(since: seen, seconds: left.inSeconds)
        }
    }

    func getRegistryChanges(_ request: Request) async throws -> Response {
        _ = try authenticator.caller(request)
        let after = try query(request, "after", default: 0, in: 0...Int64.max)
        let limit = try query(request, "limit", default: 1000, in: 1...5000)
        let changes = try await store.read { try $0.registryChanges(after: after, limit: Int(limit)) }
        var next = after
        if case .int(let c)? = changes.last?["cursor"] { next = c }
        return JSONResponse.make(.ok, RegistryChanges(changes: changes, nextCursor: next))
    }

    // MARK: Staff side

    func postDirective(_ request: Request, _ context: RegulatorRequestContext) async throws -> Response {
        let raw = try await body(request, limit: 1 << 20)
        let new: NewDirective
        do { new = try JSONDecoder().decode(NewDirective.self, from: Data(raw)) } catch {
            throw APIError(.badRequest, "body must be JSON {\"platform_id\", \"type\", \"platform_merchant_id\"?, \"uscc\"?, \"payload\": {…}}")
        }
        let sent = try await staffDirectives.issue([new], by: try context.requireIdentity())
        return JSONResponse.make(.created, sent[0])
    }

    /// The directives staff issue by hand, checked against the platforms file in force.
    var staffDirectives: StaffDirectives {
        let platforms = authenticator.platforms
        return StaffDirectives(store: store, bell: bell, platformIDs: { Set(platforms.current.platforms.map(\.id)) })
    }
}

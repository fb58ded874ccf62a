import Hummingbird

/// `/console/…`: the staff console in a browser (docs/console.md), on the regulator's port. The
/// groups read as who may do what: the static files and the login for anyone; logout for any
/// signed-in member; every page behind `StaffGate` (audited; an auditor changes nothing), each
/// page checking the caller's jurisdiction through the request context as the API does. Every
/// POST carries the session's form token (ConsoleCSRFCheck).
struct ConsoleRoutes {
    let store: RegulatorStore
    let staffLogin: StaffLogin
    let cookies: ConsoleCookies
    /// Rung when a lead is closed: its outcome events are directives the platforms wait for.
    let bell: DirectiveBell
    /// Every platform's link as GET /v1/admin/platforms shows it (the router knows the platforms
    /// file and the directive polls).
    typealias PlatformHealthSource = @Sendable (_ now: Int64) async throws -> [PlatformHealth]
    let platformHealth: PlatformHealthSource
    /// Directives issued by hand: the API's own checks and transaction (POST /v1/admin/directives).
    let directives: StaffDirectives

    func addRoutes(to router: Router<RegulatorRequestContext>) {
        let console = router.group("/console")
            .add(middleware: ConsoleSecurityHeaders())
            .add(middleware: ConsoleSessionMiddleware(store: store, cookies: cookies))
            .add(middleware: ConsoleErrorPage())
        console.get("static/console.css") { _, _ in ConsoleAssets.response(ConsoleAssets.stylesheet, type: "text/css; charset=utf-8") }
        console.get("static/console.js") { _, _ in
            ConsoleAssets.response(ConsoleAssets.script, type: "text/javascript; charset=utf-8")
        }
        let login = ConsoleLogin(store: store, staffLogin: staffLogin, cookies: cookies)
        console.get("login") { request, context in login.form(request, context) }
        console.post("login") { request, context in try await login.submit(request, context) }

        let signedIn = console.group().add(middleware: ConsoleSignInRequired())
        // Not behind StaffGate: an auditor, who may change nothing, must still be able to leave.
        signedIn.group().add(middleware: ConsoleCSRFCheck())
            .post("logout") { _, context in try await login.logout(context) }

        let pages = signedIn.group().add(middleware: StaffGate(store: store)).add(middleware: ConsoleCSRFCheck())
        // Home: the dashboard for those who have one, the search for associations.
        pages.get { _, context in
            ConsolePage.redirect(to: try context.requireIdentity().role == .association ? "/console/search" : "/console/dashboard")
        }
        pages.get("search") { request, context in try await SearchPage.answer(request, context, store: store) }
        pages.get("enterprises/:uscc") { _, context in try await EnterprisePage.answer(context, store: store) }
        pages.group().add(middleware: RoleGate(.city, .auditor, .district))
            .get("dashboard") { request, context in
                try await DashboardPage.answer(request, context, store: store, platformHealth: platformHealth)
            }
        let readers = pages.group().add(middleware: RoleGate(.city, .auditor))
        readers.get("audit") { request, context in try await AuditPage.answer(request, context, store: store) }
        readers.get("platforms") { request, context in try await PlatformsPage.list(request, context, platformHealth: platformHealth) }
        readers.get("platforms/:platform") { request, context in
            try await PlatformsPage.detail(request, context, store: store, platformHealth: platformHealth)
        }
        readers.get("directives") { request, context in try await DirectivesPage.list(request, context, store: store) }
        readers.get("directives/:id") { _, context in try await DirectivesPage.detail(context, store: store) }
        let leads = LeadsController(store: store, bell: bell)
        pages.get("leads") { request, context in try await LeadsPage.queue(request, context, store: store) }
        pages.get("leads/:platform/:case") { _, context in try await LeadsPage.detail(context, leads: leads) }
        let leadActs = pages.group().add(middleware: RoleGate(.city, .district))
        leadActs.post("leads/:platform/:case/steps") { request, context in try await LeadsPage.record(request, context, leads: leads) }
        leadActs.post("leads/bulk/preview") { request, context in try await LeadsBulk.answer(request, context, store: store, leads: leads, confirming: false) }
        leadActs.post("leads/bulk") { request, context in try await LeadsBulk.answer(request, context, store: store, leads: leads, confirming: true) }
        let proposals = ProposalsController(store: store, bell: bell)
        pages.get("proposals") { request, context in try await ProposalsPage.queue(request, context, store: store) }
        pages.get("proposals/:platform/:case") { _, context in try await ProposalsPage.detail(context, proposals: proposals) }
        let proposalActs = pages.group().add(middleware: RoleGate(.city, .district))
        proposalActs.post("proposals/:platform/:case") { request, context in
            try await ProposalsPage.decide(request, context, proposals: proposals)
        }
        proposalActs.post("proposals/bulk/preview") { request, context in
            try await ProposalsBulk.answer(request, context, store: store, proposals: proposals, confirming: false)
        }
        proposalActs.post("proposals/bulk") { request, context in
            try await ProposalsBulk.answer(request, context, store: store, proposals: proposals, confirming: true)
        }
        let determinations = DeterminationsController(store: store, bell: bell)
        pages.get("determinations") { request, context in try await DeterminationsPage.queue(request, context, store: store) }
        pages.get("determinations/:platform/:case") { _, context in
            try await DeterminationsPage.detail(context, determinations: determinations, store: store)
        }
        let determinationActs = pages.group().add(middleware: RoleGate(.city, .district))
        determinationActs.post("determinations/:platform/:case") { request, context in
            try await DeterminationsPage.decide(request, context, determinations: determinations, store: store)
        }
        determinationActs.post("determinations/bulk/preview") { request, context in
            try await DeterminationsBulk.answer(request, context, store: store, determinations: determinations, confirming: false)
        }
        determinationActs.post("determinations/bulk") { request, context in
            try await DeterminationsBulk.answer(request, context, store: store, determinations: determinations, confirming: true)
        }
        let draws = DrawsController(store: store, bell: bell)
        let drawReaders = pages.group().add(middleware: RoleGate(.city, .auditor, .district))
        drawReaders.get("draws") { request, context in try await DrawsPage.list(request, context, store: store) }
        drawReaders.get("draws/:id") { request, context in try await DrawPage.detail(request, context, store: store) }
        let drawActs = pages.group().add(middleware: RoleGate(.city, .district))
        let preparer = DrawPreparer(store: store)
        drawActs.post("draws/preview") { request, context in try await DrawsPage.preview(request, context, store: store, preparer: preparer) }
        drawActs.get("draws/preparations/:id") { _, context in
            try await DrawPreparationPage.answer(context, store: store, preparer: preparer)
        }
        drawActs.get("draws/preparations/:id/state") { _, context in try await DrawPreparationPage.state(context, store: store) }
        drawActs.post("draws") { request, context in try await DrawsPage.run(request, context, store: store) }
        drawActs.post("draws/:id/results") { request, context in try await DrawPage.record(request, context, store: store, draws: draws) }
        drawActs.post("draws/:id/publish") { _, context in try await DrawPage.publish(context, store: store, draws: draws) }
        let associationReaders = pages.group().add(middleware: RoleGate(.city, .auditor, .association))
        associationReaders.get("associations") { request, context in try await AssociationsPage.list(request, context, store: store) }
        associationReaders.get("associations/:association") { request, context in
            try await AssociationsPage.detail(request, context, store: store)
        }
        let associations = AssociationActions(store: store, bell: bell)
        let associationActs = pages.group().add(middleware: RoleGate(.city, .association))
        associationActs.post("associations/:association/prompts") { request, context in
            try await AssociationForms.prompt(request, context, store: store, actions: associations)
        }
        associationActs.post("associations/:association/members") { request, context in
            try await AssociationForms.members(request, context, store: store, actions: associations)
        }
        let rosterReaders = pages.group().add(middleware: RoleGate(.city, .auditor, .district))
        rosterReaders.get("roster") { request, context in try await RosterPage.list(request, context, store: store) }
        rosterReaders.get("roster/:uscc") { _, context in try await RosterEntryPage.detail(context, store: store) }
        let overrides = RosterOverrides(store: store, bell: bell)
        let city = pages.group().add(middleware: RoleGate(.city))
        city.post("roster/:uscc/preview") { request, context in
            try await RosterEntryPage.preview(request, context, store: store, overrides: overrides)
        }
        city.post("roster/:uscc") { request, context in
            try await RosterEntryPage.override(request, context, store: store, overrides: overrides)
        }
        city.post("directives/preview") { request, context in
            try await DirectiveIssuePage.preview(request, context, directives: directives)
        }
        city.post("directives") { request, context in try await DirectiveIssuePage.send(request, context, directives: directives) }
    }
}

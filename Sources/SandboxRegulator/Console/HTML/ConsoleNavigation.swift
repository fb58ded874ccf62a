/// The console's sections in the header, each for the roles it serves. Only links: the server
/// refuses a page to a role whatever the links say (RoleGate, the jurisdiction checks).
enum ConsoleNavigation {
    static let sections: [(path: String, text: ConsoleText, roles: Set<StaffRole>)] = [
        ("/console/dashboard", .dashboard, [.city, .auditor, .district]),
        ("/console/leads", .leadQueue, [.city, .auditor, .district]),
        ("/console/proposals", .proposals, [.city, .auditor, .district]),
        ("/console/determinations", .determinations, [.city, .auditor, .district]),
        ("/console/roster", .roster, [.city, .auditor, .district]),
        ("/console/draws", .draws, [.city, .auditor, .district]),
        ("/console/platforms", .platforms, [.city, .auditor]),
        ("/console/directives", .directives, [.city, .auditor]),
        ("/console/associations", .associations, [.city, .auditor]),
        ("/console/associations", .ownAssociation, [.association]),
        ("/console/audit", .audit, [.city, .auditor]),
        ("/console/search", .search, Set(StaffRole.allCases)),
    ]

    static func html(for role: StaffRole?, _ c: ConsoleRequestState) -> HTML {
        guard let role else { return .empty }
        let links = sections.filter { $0.roles.contains(role) }.map { "<a href=\"\($0.path)\">\(c.t($0.text))</a> " as HTML }
        return "<nav aria-label=\"\(c.t(.appName))\">\(HTML(joining: links))</nav>"
    }
}

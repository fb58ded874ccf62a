import Foundation
import Hummingbird
import SandboxCore

/// 行业协会: for the city (and auditors) every association with its member and prompt counts;
/// for an association's staff its own page — its members' standing (the regulator's roster
/// decision, the worst class on any platform, cases still open), paged by USCC and downloaded,
/// the 行业自律 prompts it sent, and the forms to send one and to upload its member list
/// (AssociationForms). Another association's page is the 404 of one that does not exist, audited
/// as denied.
enum AssociationsPage {
    static let pageSize = 100

    static func list(_ request: Request, _ context: RegulatorRequestContext, store: RegulatorStore) async throws -> Response {
        let c = context.console
        if let own = try context.requireIdentity().staffMember, own.role == .association {
            return ConsolePage.redirect(to: "/console/associations/\(own.association ?? "")")
        }
        let all = try await store.read { try $0.associations() }
        let list = ConsoleList(
            caption: c.t(.associations), headers: [c.t(.associationID), c.t(.associationName), c.t(.memberCount), c.t(.promptCount)],
            rows: all.map { a in
                [ConsoleCell(a.id, href: "/console/associations/\(a.id)"), ConsoleCell(a.name ?? ""), ConsoleCell(String(a.members)),
                 ConsoleCell(String(a.prompts))]
            },
            name: "associations")
        return try list.page(request, context, title: c.t(.associations), path: "/console/associations")
    }

    static func detail(_ request: Request, _ context: RegulatorRequestContext, store: RegulatorStore) async throws -> Response {
        try await page(request, context, store: store, association: try await visible(context, store: store))
    }

    /// One association's page; `problem` (a refused upload: the lines at fault) above the forms,
    /// with `status`.
    static func page(_ request: Request, _ context: RegulatorRequestContext, store: RegulatorStore, association a: AssociationSummary,
                     problem: HTML = .empty, status: HTTPResponse.Status = .ok) async throws -> Response {
        let c = context.console
        let format = try ExportFormat.asked(request)
        // A download is the whole list from its start, not the page on screen.
        let after = format == nil ? QueryParameters.text(request, "after") : nil
        let limit = ConsoleList.limit(format, page: pageSize)
        let (members, prompts) = try await store.read { s in
            (try s.memberStanding(a.id, after: after, limit: limit + 1), try s.associationPrompts(a.id, limit: 50))
        }
        let shown = members.prefix(limit)
        let list = ConsoleList(
            caption: c.t(.memberStanding),
            headers: [c.t(.uscc), c.t(.enterpriseName), c.t(.standing), c.t(.worstClass), c.t(.openCases), c.t(.addedAt)],
            rows: shown.map { m in
                let standing = m.member.map { $0 ? c.t(.member) : c.t(.notMember) } ?? c.t(.notDecided)
                return [.enterprise(m.uscc), ConsoleCell(m.name ?? ""), ConsoleCell(standing, emphasis: m.member == true),
                        ConsoleCell(m.worstClass ?? c.t(.unclassified)), ConsoleCell(String(m.openCases), emphasis: m.openCases > 0),
                        ConsoleCell(m.addedAt)]
            },
            name: "members")
        if let format { return list.download(format) }
        let sent: [[HTML]] = prompts.map { p in
            ["\(p.issuedAt)", "\(p.title)", "\(p.text)", "\(p.issuerName)", "\(p.issuedBy)", "\(p.members) / \(p.storefronts)"]
        }
        let mayAct = (try? AssociationActions.own(a.id, context)) != nil && context.identity?.role != .auditor
        let forms = mayAct ? AssociationForms.html(a, context) : .empty
        let facts: [ConsoleFacts.Fact] = [
            .init(c.t(.associationID), text: a.id), .init(c.t(.associationName), text: a.name),
            .init(c.t(.memberCount), text: String(a.members), id: "member-count"), .init(c.t(.promptCount), text: String(a.prompts)),
        ]
        let body: HTML = """
            <h1>\(c.t(.associations)): \(a.name ?? a.id)</h1>
            \(problem)
            \(ConsoleFacts(facts).html)
            <h2>\(c.t(.memberStanding))</h2>
            \(ExportFormat.links(request, c))
            \(list.html(c))
            \(ConsoleQuery.nextPage(request, "after", members.count > limit ? shown.last?.uscc : nil, c))
            <h2>\(c.t(.promptsSent))</h2>
            \(ConsoleTable(caption: c.t(.promptsSent),
                           headers: [c.t(.sentAt), c.t(.promptTitle), c.t(.promptText), c.t(.issuerName), c.t(.issuedBy), c.t(.reach)],
                           rows: sent).html(c))
            \(forms)
            """
        return ConsolePage.render(title: a.name ?? a.id, body, context: context, status: status, path: "/console/associations/\(a.id)")
    }

    /// The association of the path, when the caller may read it — the city and auditors any,
    /// an association its own; otherwise, and for one unknown, the same 404.
    static func visible(_ context: RegulatorRequestContext, store: RegulatorStore) async throws -> AssociationSummary {
        let id = context.parameters.get("association") ?? ""
        let notFound = APIError(.notFound, "no association \(id): no member list, account or prompt names it")
        if let own = try context.requireIdentity().staffMember, own.role == .association, own.association != id {
            throw JurisdictionDenied(notFound: notFound)
        }
        guard let found = try await store.read({ try $0.associations(only: id).first }) else { throw notFound }
        return found
    }
}

import Foundation
import Hummingbird
import SandboxCore

/// The two things an association does on its page, or the city for it: send a 行业自律 prompt to
/// its members, and upload its member list (a file saved from Excel, or codes pasted) — both
/// through `AssociationActions`, as the API's `/v1/admin/associations/{association}/…`.
enum AssociationForms {
    static func html(_ a: AssociationSummary, _ context: RegulatorRequestContext) -> HTML {
        let c = context.console
        guard let token = c.csrfToken else { return .empty }
        let prompt = ConsolePostForm(
            action: "/console/associations/\(a.id)/prompts", id: "prompt", title: c.t(.sendPrompt),
            fields: HTML(joining: [ConsoleField.text("title", c.t(.promptTitle), form: "prompt"),
                                   ConsoleField.textarea("text", c.t(.promptText), form: "prompt", required: true),
                                   ConsoleField.textarea("usccs", c.t(.promptOnly), form: "prompt", rows: 3),
                                   ConsoleField.text("issuer_name", c.t(.issuerName), form: "prompt", required: false)]),
            button: c.t(.sendPrompt), confirm: c.t(.confirmPrompt))
        let upload = ConsolePostForm(
            action: "/console/associations/\(a.id)/members", id: "members", title: c.t(.uploadMembers),
            fields: HTML(joining: [ConsoleField.file("list", c.t(.memberFile), form: "members", accept: ".csv,.txt,text/csv,text/plain"),
                                   ConsoleField.textarea("usccs", c.t(.memberPaste), form: "members", rows: 4),
                                   ConsoleField.select("mode", c.t(.listMode), form: "members",
                                                       options: [("replace", c.t(.replaceList)), ("extend", c.t(.extendList))],
                                                       selected: "replace")]),
            button: c.t(.upload), confirm: c.t(.confirmUpload), upload: true)
        return HTML(joining: [prompt.html(token: token), upload.html(token: token)])
    }

    /// POST /console/associations/{association}/prompts.
    static func prompt(_ request: Request, _ context: RegulatorRequestContext, store: RegulatorStore,
                       actions: AssociationActions) async throws -> Response {
        let a = try await AssociationsPage.visible(context, store: store)
        let association = try AssociationActions.own(a.id, context)
        let form = try await ConsoleForm(request)
        var only: [String]?
        if let pasted = form.text("usccs") {
            let list = MemberList(Array(pasted.utf8))
            if !list.problems.isEmpty { return try await refused(list, request, context, store: store, association: a) }
            only = list.usccs
        }
        _ = try await actions.prompt(association, title: form.text("title") ?? "", text: form.text("text") ?? "", usccs: only,
                                     issuerName: form.text("issuer_name"), by: try context.requireIdentity())
        return ConsolePage.redirect(to: "/console/associations/\(association)")
    }

    /// POST /console/associations/{association}/members: the uploaded file and the pasted codes
    /// together, replacing the list or added to it; refused whole when a line is not a code.
    static func members(_ request: Request, _ context: RegulatorRequestContext, store: RegulatorStore,
                        actions: AssociationActions) async throws -> Response {
        let a = try await AssociationsPage.visible(context, store: store)
        let association = try AssociationActions.own(a.id, context)
        let upload = try await ConsoleUpload(request)
        let list = MemberList((upload.files["list"] ?? []) + [UInt8(ascii: "\n")] + Array((upload["usccs"] ?? "").utf8))
        if list.usccs.isEmpty && list.problems.isEmpty { throw APIError(.badRequest, context.console.t(.emptyList)) }
        if !list.problems.isEmpty { return try await refused(list, request, context, store: store, association: a) }
        let replace: Bool
        switch upload.text("mode") ?? "replace" {
        case "replace": replace = true
        case "extend": replace = false
        case let other: throw APIError(.badRequest, "mode must be replace or extend, got \(other)")
        }
        _ = try await actions.setMembers(association, usccs: list.usccs, replace: replace)
        return ConsolePage.redirect(to: "/console/associations/\(association)")
    }

    /// The association's page again (400) with the lines that hold no valid code, so staff see
    /// what to correct; nothing was changed.
    static func refused(_ list: MemberList, _ request: Request, _ context: RegulatorRequestContext, store: RegulatorStore,
                        association: AssociationSummary) async throws -> Response {
        let problem = ListRefusal.html(list, message: context.console.t(.badLines), context.console)
        return try await AssociationsPage.page(request, context, store: store, association: association, problem: problem,
                                               status: .badRequest)
    }
}

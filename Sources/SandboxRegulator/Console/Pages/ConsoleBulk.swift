import Foundation
import Hummingbird

/// A bulk action on a work queue (proposals, art. 33 recommendations, leads): the rows ticked on
/// the queue, a preview listing exactly what each row will do and send — or why it is refused —
/// and the preview's 确认, which does each row through the API's own path one by one, each a line
/// of the audit trail, and reports per row. A row refused (decided meanwhile by someone else,
/// outside the caller's jurisdiction) does not stop the others.
enum ConsoleBulk {
    /// A sane number of rows for one action: the preview stays readable and one request short.
    static let limit = 200

    /// A case of a queue, as a checkbox sends it: `platform/case`.
    struct Row: Hashable, Sendable {
        var platform: String
        var caseID: String
        var value: String { CaseKeys.key(platform, caseID) }
    }

    /// The one decision a bulk form applies to every row, read from the form, and the hidden
    /// fields that carry it from the preview to the confirm.
    protocol Decision {
        var hidden: [(name: String, value: String)] { get }
    }

    /// How a queue's rows are found: every ticked row's case read in one read session, with the
    /// caller's jurisdiction over it judged in the same session (`find`). A session per row —
    /// the API's `visible` twice for each of 200 rows — made a preview 0.3–0.5 s on PostgreSQL
    /// at 469,000 merchants, most of it the sessions' round trips.
    struct Finder<T: Sendable>: Sendable {
        /// The rows' cases by "PLATFORM/CASE" (`Row.value`); none for a row whose case the
        /// platform never sent.
        var find: @Sendable (StoreSession, [Row]) throws -> [String: T]
        /// The enterprise the case is about, for the jurisdiction.
        var uscc: @Sendable (T) -> String?
        /// The API's answer for a case never sent (also what a case outside the jurisdiction gets).
        var notFound: @Sendable (Row) -> APIError
    }

    /// A row as found: its case, none, or one the caller may not see.
    enum Found<T: Sendable>: Sendable {
        case found(T)
        case notFound(APIError)
        case denied(APIError)
    }

    /// Every row found in one read session (Finder).
    static func find<T: Sendable>(_ rows: [Row], _ finder: Finder<T>, _ context: RegulatorRequestContext,
                                  store: RegulatorStore) async throws -> [Found<T>] {
        let jurisdiction = try context.scope()
        return try await store.read { s in
            let found = try finder.find(s, rows)
            let things = rows.map { found[$0.value] }
            let facts = jurisdiction == .everything ? [:] : try s.jurisdictionFacts(usccs: things.compactMap { $0.flatMap(finder.uscc) })
            return zip(rows, things).map { row, thing -> Found<T> in
                guard let t = thing else { return .notFound(finder.notFound(row)) }
                guard jurisdiction != .everything else { return .found(t) }
                guard let uscc = finder.uscc(t), let enterprise = facts[uscc], jurisdiction.admits(enterprise) else {
                    return .denied(finder.notFound(row))
                }
                return .found(t)
            }
        }
    }

    /// A bulk form of the queue at `queue` answered: the ticked rows and the decision read, the
    /// rows found (`finder`), `body` run for each row found, then the preview (`confirming`
    /// false: `body` only looks) or the report.
    static func answer<D: Decision, T: Sendable>(_ request: Request, _ context: RegulatorRequestContext, store: RegulatorStore,
                                                 queue: String, confirming: Bool, decision: (ConsoleForm) async throws -> D,
                                                 finder: Finder<T>, _ body: (Row, T, D) async throws -> Line) async throws -> Response {
        let form = try await ConsoleForm(request)
        let rows = try rows(form)
        let asked = try await decision(form)
        // A confirm writes each row and its audit line: the roster keeper gives way meanwhile.
        let lines = try await store.foreground.during {
            let found = try await find(rows, finder, context, store: store)
            return await each(Array(zip(rows, found)), context, store: store,
                              action: "POST \(queue)/bulk" + (confirming ? "" : "/preview"), auditEvery: confirming) { row, found in
                switch found {
                case .found(let t): return try await body(row, t, asked)
                case .notFound(let error): throw error
                case .denied(let error): throw JurisdictionDenied(notFound: error)
                }
            }
        }
        return confirming ? report(lines, back: queue, context)
            : preview(lines, hidden: asked.hidden, action: "\(queue)/bulk", back: queue, context)
    }

    /// What a row will do (preview) or did (confirm): the decision, the directive to which
    /// platform, or why not.
    struct Line {
        var row: Row
        var uscc: String?
        var what: String
        var directive: String
        var refusal: String?
    }

    /// The ticked rows, each once, in the order sent; none or more than `limit` is refused.
    static func rows(_ form: ConsoleForm) throws -> [Row] {
        var seen = Set<Row>(), rows: [Row] = []
        for value in form.values("row") {
            let parts = value.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw APIError(.badRequest, "a row must be PLATFORM/CASE; got \(value): reload the queue") }
            let row = Row(platform: parts[0], caseID: parts[1])
            if seen.insert(row).inserted { rows.append(row) }
        }
        guard !rows.isEmpty else { throw APIError(.badRequest, "no row is ticked: tick the rows to act on in the queue, then preview") }
        guard rows.count <= limit else {
            throw APIError(.badRequest, "\(rows.count) rows are ticked; a bulk action takes at most \(limit): act on them in parts")
        }
        return rows
    }

    /// Runs `body` for each row. A row outside the caller's jurisdiction is refused with the 404
    /// of a case never sent and audited as denied under `action` — in the preview too, where
    /// nothing else is written; with `auditEvery` (the confirm), every row is a line of the trail
    /// with its outcome.
    static func each<T>(_ rows: [(Row, T)], _ context: RegulatorRequestContext, store: RegulatorStore, action: String,
                        auditEvery: Bool, _ body: (Row, T) async throws -> Line) async -> [Line] {
        var lines: [Line] = []
        let identity = context.identity
        for (row, found) in rows {
            func trail(_ status: Int, _ outcome: String, _ detail: String?) async {
                await StaffGate.audit(store: store, context, identity: identity, action: action, subject: row.caseID,
                                      status: status, outcome: outcome, detail: detail.map { "\(row.value): \($0)" } ?? row.value)
            }
            do {
                let line = try await body(row, found)
                if auditEvery { await trail(line.refusal == nil ? 200 : 409, line.refusal == nil ? "ok" : "refused", line.refusal ?? line.what) }
                lines.append(line)
            } catch let denied as JurisdictionDenied {
                await trail(404, "denied", "outside the caller's jurisdiction")
                lines.append(Line(row: row, what: "", directive: "", refusal: denied.notFound.message))
            } catch let error as APIError {
                if auditEvery { await trail(Int(error.status.code), StaffGate.outcome(Int(error.status.code)), error.message) }
                lines.append(Line(row: row, what: "", directive: "", refusal: error.message))
            } catch {
                if auditEvery { await trail(500, "error", "\(error)") }
                lines.append(Line(row: row, what: "", directive: "", refusal: "\(error)"))
            }
        }
        return lines
    }

    static func table(_ lines: [Line], done: Bool, _ c: ConsoleRequestState) -> HTML {
        let rows: [[HTML]] = lines.map { l in
            let outcome: HTML = l.refusal.map { "<span class=\"error\">\(done ? c.t(.rowRefused) : c.t(.willRefuse))</span>: \($0)" }
                ?? "<strong>\(done ? c.t(.rowDone) : c.t(.willDo))</strong>"
            return ["\(l.row.value)", ConsoleCell.enterprise(l.uscc).html, "\(l.what)", "\(l.directive)", outcome]
        }
        return ConsoleTable(caption: done ? c.t(.bulkReport) : c.t(.bulkPreview),
                            headers: [c.t(.caseID), c.t(.uscc), c.t(.decision), c.t(.directive), c.t(.outcome)], rows: rows).html(c)
    }

    /// The preview: every row with what it will do, and the form that does the rows not refused
    /// — exactly those, with the same decision (`hidden`).
    static func preview(_ lines: [Line], hidden: [(name: String, value: String)], action: String, back: String,
                        _ context: RegulatorRequestContext) -> Response {
        let c = context.console
        let doable = lines.filter { $0.refusal == nil }
        var form = HTML.empty
        if !doable.isEmpty {
            form = ConsolePostForm(action: action, id: "bulk-confirm", title: "\(c.t(.bulkConfirm)) (\(doable.count))",
                                   hidden: hidden + doable.map { (name: "row", value: $0.row.value) },
                                   button: c.t(.bulkConfirm)).html(token: c.csrfToken ?? "")
        }
        let body: HTML = """
            <h1>\(c.t(.bulkPreview))</h1>
            <p>\(c.t(.bulkPreviewExplain))</p>
            \(table(lines, done: false, c))
            \(form)
            <p><a href="\(back)">\(c.t(.back))</a></p>
            """
        return ConsolePage.render(title: c.t(.bulkPreview), body, context: context, path: back)
    }

    static func report(_ lines: [Line], back: String, _ context: RegulatorRequestContext) -> Response {
        let c = context.console
        let body: HTML = """
            <h1>\(c.t(.bulkReport))</h1>
            <p id="bulk-summary">\(c.t(.rowDone)): \(lines.filter { $0.refusal == nil }.count) · \(c.t(.rowRefused)): \(lines.filter { $0.refusal != nil }.count)</p>
            \(table(lines, done: true, c))
            <p><a href="\(back)">\(c.t(.back))</a></p>
            """
        return ConsolePage.render(title: c.t(.bulkReport), body, context: context, path: back)
    }

    /// Whether the caller may act on a queue (city, district) and the page can carry the form.
    static func mayAct(_ context: RegulatorRequestContext) throws -> Bool {
        let role = try context.requireIdentity().role
        return (role == .city || role == .district) && context.console.csrfToken != nil
    }

    /// The checkbox of a queue's row, named for screen readers by its case.
    static func checkbox(_ row: Row, _ c: ConsoleRequestState) -> HTML {
        "<input type=\"checkbox\" name=\"row\" value=\"\(row.value)\" id=\"row-\(row.value)\" aria-label=\"\(c.t(.select)) \(row.caseID)\">"
    }

    /// A queue's table; for those who may act, with a checkbox before each row that can be acted
    /// on (`cases`, nil: none) and the bulk form around it, posting to `queue`/bulk/preview.
    static func queueTable(_ context: RegulatorRequestContext, caption: String, headers: [String], rows: [[HTML]], cases: [Row?],
                           queue: String, fields: HTML) throws -> HTML {
        let c = context.console
        guard try mayAct(context), cases.contains(where: { $0 != nil }) else {
            return ConsoleTable(caption: caption, headers: headers, rows: rows).html(c)
        }
        let boxes = cases.map { $0.map { checkbox($0, c) } ?? .empty }
        let table = ConsoleTable(caption: caption, headers: [c.t(.select)] + headers, rows: zip(boxes, rows).map { [$0] + $1 }).html(c)
        return form(action: "\(queue)/bulk/preview", table: table, fields: fields, c)
    }

    /// The queue as a form: its table with a checkbox per row, "select all on this page" (the
    /// console's script; without it each box is ticked by hand), the decision's fields and the
    /// button to the preview.
    static func form(action: String, table: HTML, fields: HTML, _ c: ConsoleRequestState) -> HTML {
        """
        <form method="post" action="\(action)" id="form-bulk">
        <input type="hidden" name="\(ConsoleCSRF.field)" value="\(c.csrfToken ?? "")">
        <div><input type="checkbox" id="select-all" data-select-all="row"> <label for="select-all" class="inline">\(c.t(.selectAll))</label></div>
        \(table)
        <fieldset class="step"><legend>\(c.t(.bulkAct))</legend>
        <p>\(c.t(.bulkLimit))</p>
        \(fields)
        <div><button type="submit" id="bulk-preview">\(c.t(.preview))</button></div>
        </fieldset>
        </form>
        """
    }
}

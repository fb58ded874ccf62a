import Foundation
import Hummingbird
import SandboxCore

/// `/v1/admin/staff`, `/v1/admin/associations/{association}/members`, `/v1/admin/audit`: managing
/// staff accounts (the city bureau), association member lists (the city or the association
/// itself), and reading the audit trail (auditors and the city).
struct StaffAdminController {
    let store: RegulatorStore
    /// Rung when directives are created, so waiting long polls answer at once.
    let bell: DirectiveBell
    let passwords: StaffPasswords

    func addRoutes(to admin: RouterGroup<RegulatorRequestContext>) {
        let city = admin.group().add(middleware: RoleGate(.city))
        city.get("staff") { _, _ in JSONResponse.make(.ok, ["staff": try await store.read { try $0.staffList() }]) }
        city.post("staff") { request, _ in try await addStaff(request) }
        city.post("staff/:username/disable") { _, context in try await setDisabled(context, true) }
        city.post("staff/:username/enable") { _, context in try await setDisabled(context, false) }

        let associations = admin.group().add(middleware: RoleGate(.city, .association))
        associations.post("associations/:association/members") { request, context in try await putMembers(request, context) }
        associations.post("associations/:association/prompts") { request, context in try await postPrompt(request, context) }

        admin.group().add(middleware: RoleGate(.city, .auditor))
            .get("audit") { request, _ in try await auditTrail(request) }
    }

    struct NewStaff: Decodable {
        var username: String, displayName: String?, role: StaffRole, district: String?, association: String?, password: String
        enum CodingKeys: String, CodingKey {
            case username, role, district, association, password
            case displayName = "display_name"
        }
    }

    func addStaff(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 64 * 1024)
        let new: NewStaff
        do {
            new = try JSONDecoder().decode(NewStaff.self, from: Data(buffer: body))
        } catch {
            throw APIError(.badRequest, "send {\"username\", \"role\": city|district|association|auditor, \"district\" "
                           + "(district), \"association\" (association), \"display_name\", \"password\"}: \(error)")
        }
        guard new.password.count >= PasswordHash.minimumLength else {
            throw APIError(.badRequest, "the password must have at least \(PasswordHash.minimumLength) characters")
        }
        // Hashed before the store's write: made inside it, the hash held every other write (feeds
        // among them) for its tens of milliseconds.
        let hash = try await passwords.make(new.password)
        do {
            let member = try await store.write { try $0.addStaff(
                username: new.username, displayName: new.displayName ?? new.username, role: new.role, district: new.district,
                association: new.association, passwordHash: hash, now: Timestamp.now()) }
            return JSONResponse.make(.created, member)
        } catch let e as StaffError {
            throw APIError(e.description.contains("exists") ? .conflict : .badRequest, e.description)
        }
    }

    func setDisabled(_ context: RegulatorRequestContext, _ disabled: Bool) async throws -> Response {
        let username = context.parameters.get("username") ?? ""
        guard try await store.write({ try $0.setStaffDisabled(username: username, disabled) }) else {
            throw APIError(.notFound, "no staff account \(username)")
        }
        return JSONResponse.make(.ok, ["username": username, "status": disabled ? "disabled" : "enabled"])
    }

    struct Members: Decodable { var usccs: [String]; var replace: Bool? }

    func putMembers(_ request: Request, _ context: RegulatorRequestContext) async throws -> Response {
        let association = try AssociationActions.own(context.parameters.get("association") ?? "", context)
        let body = try await request.body.collect(upTo: 16 << 20)
        guard let members = try? JSONDecoder().decode(Members.self, from: Data(buffer: body)) else {
            throw APIError(.badRequest, "send {\"usccs\": [\"91510104…\", …], \"replace\": true|false}")
        }
        let count = try await AssociationActions(store: store, bell: bell).setMembers(association, usccs: members.usccs,
                                                                                      replace: members.replace ?? true)
        return JSONResponse.make(.ok, ["association": association, "members": "\(count)"])
    }

    struct Prompt: Decodable {
        var title: String, text: String, usccs: [String]?, issuerName: String?
        enum CodingKeys: String, CodingKey { case title, text, usccs, issuerName = "issuer_name" }
    }

    func postPrompt(_ request: Request, _ context: RegulatorRequestContext) async throws -> Response {
        let association = try AssociationActions.own(context.parameters.get("association") ?? "", context)
        let body = try await request.body.collect(upTo: 1 << 20)
        let usage = "send {\"title\": 1…200 characters, \"text\": 1…4000, \"usccs\": [members] (optional: all), "
            + "\"issuer_name\": the association's name as members know it}"
        guard let prompt = try? JSONDecoder().decode(Prompt.self, from: Data(buffer: body)),
              (1...200).contains(prompt.title.count), (1...4000).contains(prompt.text.count) else {
            throw APIError(.badRequest, usage)
        }
        let answer = try await AssociationActions(store: store, bell: bell).prompt(
            association, title: prompt.title, text: prompt.text, usccs: prompt.usccs, issuerName: prompt.issuerName,
            by: try context.requireIdentity())
        return JSONResponse.make(.created, answer)
    }

    func auditTrail(_ request: Request) async throws -> Response {
        let limit = try QueryParameters.integer(request, "limit", default: 100, in: 1...1000)
        let since = try QueryParameters.text(request, "since").map { text -> Int64 in
            guard let t = UTCTime.parse(text) else { throw APIError(.badRequest, "since must be an RFC 3339 time or a day YYYY-MM-DD") }
            return t
        }
        let before = request.uri.queryParameters.get("before") == nil ? nil
            : Int64(try QueryParameters.integer(request, "before", default: 0, in: 0...Int.max))
        let entries = try await store.read { try $0.staffAudit(actor: QueryParameters.text(request, "actor"),
                                                 subject: QueryParameters.text(request, "subject"), since: since,
                                                 before: before, limit: limit) }
        return JSONResponse.make(.ok, AuditAnswer(entries: entries.map(AuditLine.init), next: entries.count == limit ? entries.last?.seq : nil))
    }

    struct AuditAnswer: Encodable { var entries: [AuditLine]; var next: Int64? }

    /// An audit line with its time as RFC 3339.
    struct AuditLine: Encodable {
        var seq: Int64, at: String, actor: String, role: String?, address: String?, action: String, subject: String?
        var outcome: String, status: Int, detail: String?
        init(_ e: StaffAuditEntry) {
            seq = e.seq; at = UTCTime.rfc3339(e.at); actor = e.actor; role = e.role; address = e.address; action = e.action
            subject = e.subject; outcome = e.outcome; status = e.status; detail = e.detail
        }
    }
}

import Foundation
import Hummingbird
import SandboxCore

/// `/v1/admin/staff`, `/v1/admin/associations/{association}/members`, `/v1/admin/audit`: managing
/// staff accounts (the city bureau), association member lists (the city or the association
/// itself), and reading the audit trail (auditors and the city).
struct StaffAdminController {
    let store: RegulatorStore

    func addRoutes(to admin: RouterGroup<RegulatorRequestContext>) {
        let city = admin.group().add(middleware: RoleGate(.city))
        city.get("staff") { _, _ in JSONResponse.make(.ok, ["staff": try await store.staffList()]) }
        city.post("staff") { request, _ in try await addStaff(request) }
        city.post("staff/:username/disable") { _, context in try await setDisabled(context, true) }
        city.post("staff/:username/enable") { _, context in try await setDisabled(context, false) }

        admin.group().add(middleware: RoleGate(.city, .association))
            .post("associations/:association/members") { request, context in try await putMembers(request, context) }

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
        do {
            let member = try await store.addStaff(
                username: new.username, displayName: new.displayName ?? new.username, role: new.role, district: new.district,
                association: new.association, passwordHash: try PasswordHash.make(new.password), now: Timestamp.now())
            return JSONResponse.make(.created, member)
        } catch let e as StaffError {
            throw APIError(e.description.contains("exists") ? .conflict : .badRequest, e.description)
        }
    }

    func setDisabled(_ context: RegulatorRequestContext, _ disabled: Bool) async throws -> Response {
        let username = context.parameters.get("username") ?? ""
        guard try await store.setStaffDisabled(username: username, disabled) else {
            throw APIError(.notFound, "no staff account \(username)")
        }
        return JSONResponse.make(.ok, ["username": username, "status": disabled ? "disabled" : "enabled"])
    }

    struct Members: Decodable { var usccs: [String]; var replace: Bool? }

    func putMembers(_ request: Request, _ context: RegulatorRequestContext) async throws -> Response {
        let association = context.parameters.get("association") ?? ""
        let identity = try context.requireIdentity()
        if identity.role == .association, identity.staffMember?.association != association {
            throw APIError(.forbidden, "an association uploads its own member list only")
        }
        let body = try await request.body.collect(upTo: 16 << 20)
        guard let members = try? JSONDecoder().decode(Members.self, from: Data(buffer: body)) else {
            throw APIError(.badRequest, "send {\"usccs\": [\"91510104…\", …], \"replace\": true|false}")
        }
        if let bad = members.usccs.first(where: { USCC.check($0) != .valid }) {
            throw APIError(.badRequest, "not an 18-character unified social credit code: \(bad)")
        }
        let count = try await store.setAssociationMembers(association, usccs: members.usccs, replace: members.replace ?? true,
                                                          now: Timestamp.now())
        return JSONResponse.make(.ok, ["association": association, "members": "\(count)"])
    }

    func auditTrail(_ request: Request) async throws -> Response {
        let q = request.uri.queryParameters
        let limit = q.get("limit").flatMap(Int.init) ?? 100
        guard (1...1000).contains(limit) else { throw APIError(.badRequest, "limit must be 1…1000") }
        let since = try q.get("since").map { text -> Int64 in
            guard let t = Timestamp.parse(text) else { throw APIError(.badRequest, "since must be an RFC 3339 time") }
            return t
        }
        let before = q.get("before").flatMap(Int64.init)
        let entries = try await store.staffAudit(actor: q.get("actor"), subject: q.get("subject"), since: since,
                                                 before: before, limit: limit)
        return JSONResponse.make(.ok, AuditPage(entries: entries.map(AuditLine.init), next: entries.count == limit ? entries.last?.seq : nil))
    }

    struct AuditPage: Encodable { var entries: [AuditLine]; var next: Int64? }

    /// An audit line with its time as RFC 3339.
    struct AuditLine: Encodable {
        var seq: Int64, at: String, actor: String, role: String?, address: String?, action: String, subject: String?
        var outcome: String, status: Int, detail: String?
        init(_ e: StaffAuditEntry) {
            seq = e.seq; at = Timestamp.iso(e.at); actor = e.actor; role = e.role; address = e.address; action = e.action
            subject = e.subject; outcome = e.outcome; status = e.status; detail = e.detail
        }
    }
}

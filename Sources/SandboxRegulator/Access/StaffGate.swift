import Hummingbird

/// The gate of the staff routes (`/v1/admin/…`): only staff (or the admin token) pass; an
/// auditor only reads; and every request through it — allowed, denied or failed — becomes a line
/// of the append-only audit trail (who, role, when, what, from which address, what came of it).
struct StaffGate: RouterMiddleware {
    typealias Context = RegulatorRequestContext
    let store: RegulatorStore

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let identity: Identity
        do {
            identity = try context.requireIdentity()
            if case .platform(let p) = identity {
                throw APIError(.forbidden, "staff endpoints need a staff login or the admin token; a platform token is not enough",
                               platformID: p.id)
            }
            // Ending one's own session changes nothing in the sandbox: an auditor may log out.
            if identity.role == .auditor && request.method != .get && request.method != .head
                && request.uri.path != Self.logoutPath {
                throw APIError(.forbidden, "an auditor reads everything and changes nothing")
            }
        } catch let error as APIError {
            await audit(request, context, identity: context.identity, status: Int(error.status.code),
                        outcome: error.status == .forbidden ? "denied" : "refused", detail: error.message)
            throw error
        }
        do {
            let response = try await next(request, context)
            let code = Int(response.status.code)
            await audit(request, context, identity: identity, status: code, outcome: Self.outcome(code), detail: nil)
            return response
        } catch let denied as JurisdictionDenied {
            await audit(request, context, identity: identity, status: 404, outcome: "denied",
                        detail: "outside the caller's jurisdiction")
            throw denied
        } catch let error as HTTPResponseError {
            let code = Int(error.status.code)
            await audit(request, context, identity: identity, status: code, outcome: Self.outcome(code),
                        detail: (error as? APIError)?.message)
            throw error
        } catch {
            await audit(request, context, identity: identity, status: 500, outcome: "error", detail: "\(error)")
            throw error
        }
    }

    static let logoutPath = "/v1/staff/logout"

    static func outcome(_ status: Int) -> String {
        switch status {
        case ..<400: return "ok"
        case 403: return "denied"
        case 400..<500: return "refused"
        default: return "error"
        }
    }

    /// A failure to write the trail is logged, not answered: the action has happened by then.
    private func audit(_ request: Request, _ context: Context, identity: Identity?, status: Int, outcome: String,
                       detail: String?) async {
        await Self.audit(store: store, context, identity: identity,
                         action: "\(request.method.rawValue) \(context.endpointPath ?? request.uri.path)",
                         subject: Self.subject(context), status: status, outcome: outcome, detail: detail)
    }

    /// A line of the trail for something a request does more than once — each row of a bulk
    /// action is audited as it is done, beside the request's own line.
    static func audit(store: RegulatorStore, _ context: Context, identity: Identity?, action: String, subject: String?,
                      status: Int, outcome: String, detail: String?) async {
        let entry = StaffAuditEntry(at: Timestamp.now(), actor: identity?.actor ?? "anonymous", role: identity?.role?.rawValue,
                                    address: context.address, action: action, subject: subject, outcome: outcome, status: status,
                                    detail: detail)
        do {
            try await store.write { try $0.appendStaffAudit(entry) }
        } catch {
            context.logger.error("cannot write the staff audit trail", metadata: ["error": "\(error)", "action": "\(entry.action)"])
        }
    }

    /// What the request was about, from the route's parameters.
    static func subject(_ context: Context) -> String? {
        for name in ["uscc", "username", "id", "association", "case", "platform"] {
            if let value = context.parameters.get(name) { return value }
        }
        return nil
    }
}

import Hummingbird

/// Lets through only the given roles (the admin token counts as the city bureau). Sits inside a
/// `StaffGate`, so its refusals are in the audit trail too.
struct RoleGate: RouterMiddleware {
    typealias Context = RegulatorRequestContext
    let allowed: Set<StaffRole>

    init(_ allowed: StaffRole...) { self.allowed = Set(allowed) }

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let role = try context.requireIdentity().role, allowed.contains(role) else {
            let names = StaffRole.allCases.filter(allowed.contains).map(\.rawValue).joined(separator: ", ")
            throw APIError(.forbidden, "this needs the role \(names); your account's role may not do it")
        }
        return try await next(request, context)
    }
}

import Hummingbird

/// Sends a browser without a valid session to the login page (303), rather than the API's 401:
/// a person is at the other end. Sits before `StaffGate`, which then audits what a signed-in
/// member does.
struct ConsoleSignInRequired: RouterMiddleware {
    typealias Context = RegulatorRequestContext

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.identity != nil else { return ConsolePage.redirect(to: "/console/login") }
        return try await next(request, context)
    }
}

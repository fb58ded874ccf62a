import Hummingbird

/// Refuses (403) a console POST whose form does not carry the session's token: a page on another
/// site that gets a signed-in browser to post here cannot know it. Reads the form once and
/// hands it on as the request's body, so the handler reads it again from memory.
struct ConsoleCSRFCheck: RouterMiddleware {
    typealias Context = RegulatorRequestContext

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post else { return try await next(request, context) }
        var request = request
        let body = try await request.collectBody(upTo: ConsoleForm.maxBytes)
        let form = ConsoleForm(encoded: String(buffer: body))
        guard ConsoleCSRF.matches(form[ConsoleCSRF.field], context.console.csrfToken) else {
            throw APIError(.forbidden, "the form's token is missing or out of date: reload the page and send the form again")
        }
        return try await next(request, context)
    }
}

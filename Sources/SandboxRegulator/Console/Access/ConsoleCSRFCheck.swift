import Hummingbird

/// Refuses (403) a console POST whose form does not carry the session's token: a page on another
/// site that gets a signed-in browser to post here cannot know it. Reads the form once — an
/// ordinary form, or an upload (multipart) up to its larger limit — and hands it on as the
/// request's body, so the handler reads it again from memory.
struct ConsoleCSRFCheck: RouterMiddleware {
    typealias Context = RegulatorRequestContext

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post else { return try await next(request, context) }
        var request = request
        let sent: String?
        if ConsoleUpload.isUpload(request) {
            let body = try await request.collectBody(upTo: ConsoleUpload.maxBytes)
            sent = try ConsoleUpload(body: Array(body.readableBytesView), contentType: request.headers[.contentType] ?? "")[ConsoleCSRF.field]
        } else {
            let body = try await request.collectBody(upTo: ConsoleForm.maxBytes)
            sent = ConsoleForm(encoded: String(buffer: body))[ConsoleCSRF.field]
        }
        guard ConsoleCSRF.matches(sent, context.console.csrfToken) else {
            throw APIError(.forbidden, "the form's token is missing or out of date: reload the page and send the form again")
        }
        return try await next(request, context)
    }
}

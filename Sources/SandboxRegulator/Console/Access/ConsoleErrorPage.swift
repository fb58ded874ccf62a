import Hummingbird

/// Answers a refusal on a console route with a page in the reader's language, not the API's
/// JSON: the status stays (404 for another district's enterprise, exactly as for one never
/// filed; 403 for a role's limits), the message says what to do.
struct ConsoleErrorPage: RouterMiddleware {
    typealias Context = RegulatorRequestContext

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let denied as JurisdictionDenied {
            return page(context, status: denied.status, message: denied.notFound.message)
        } catch let error as APIError {
            return page(context, status: error.status, message: error.message)
        } catch let error as HTTPError {
            return page(context, status: error.status, message: error.body ?? "\(error.status.code)")
        }
    }

    func page(_ context: Context, status: HTTPResponse.Status, message: String) -> Response {
        let c = context.console
        let title: String
        switch status {
        case .notFound: title = c.t(.notFound)
        case .forbidden: title = c.t(.forbidden)
        default: title = c.t(.errorTitle)
        }
        let body: HTML = """
            <h1>\(title)</h1>
            <p class="error" role="alert">\(message)</p>
            <p><a href="/console/search">\(c.t(.backToSearch))</a></p>
            """
        return ConsolePage.render(title: title, body, context: context, status: status)
    }
}

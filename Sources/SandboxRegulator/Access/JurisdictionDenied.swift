import Hummingbird

/// An enterprise outside the caller's jurisdiction. Answered exactly like an enterprise that is
/// not filed at all (404, the same message), so a district officer cannot learn by probing which
/// USCCs exist elsewhere; the audit trail records it as `denied`.
struct JurisdictionDenied: HTTPResponseError {
    let uscc: String
    var status: HTTPResponse.Status { .notFound }
    var notFound: APIError { APIError(.notFound, "nothing is filed under USCC \(uscc)") }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try notFound.response(from: request, context: context)
    }
}

import Hummingbird

/// Something outside the caller's jurisdiction. Answered exactly like something that does not
/// exist (404, the same message), so a district officer cannot learn by probing which USCCs or
/// leads exist elsewhere; the audit trail records it as `denied`.
struct JurisdictionDenied: HTTPResponseError {
    /// The answer a missing thing of this kind gets.
    let notFound: APIError
    var status: HTTPResponse.Status { .notFound }

    init(notFound: APIError) { self.notFound = notFound }
    init(uscc: String) { notFound = APIError(.notFound, "nothing is filed under USCC \(uscc)") }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try notFound.response(from: request, context: context)
    }
}

import Hummingbird

/// 429 with `Retry-After`: the intake budget (`RegulatorLimits.maxInflightBytes`) is held by other
/// requests. The agent keeps the batch and sends it again after at least that long.
struct IntakeBusy: HTTPResponseError {
    let retryAfterSeconds: Int
    var status: HTTPResponse.Status { .tooManyRequests }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONResponse.make(.tooManyRequests, ["error": "the regulator is taking in as many batches as its memory "
            + "allows (--max-inflight-bytes); send this one again after \(retryAfterSeconds) s"])
        response.headers[.retryAfter] = String(retryAfterSeconds)
        return response
    }
}

import Foundation
import SandboxWire

/// Delivers batches to the regulator over the one kept-alive connection: bearer token,
/// `Idempotency-Key` = batch id, and the HMAC over both, the time of this attempt and the gzip
/// body; the answer decided by `RetryPolicy`.
final class HTTPFeedSink: FeedSink {
    let connection: RegulatorConnection
    let signature: FeedSignature
    let policy: RetryPolicy
    /// A batch's whole exchange; a 5,000-record batch takes the reference regulator well under 1 s.
    var timeoutSeconds: Double = 120
    private var random = SystemRandomNumberGenerator()

    init(connection: RegulatorConnection, signature: FeedSignature, policy: RetryPolicy = RetryPolicy()) {
        self.connection = connection
        self.signature = signature
        self.policy = policy
    }

    func deliver(_ batch: FeedBatch) -> DeliveryResult {
        let failedAttempts = batch.attempts + 1
        // Signed per attempt: the bytes and the key stay the same, the time is now's, so a retry
        // hours later is within the regulator's window and a capture of this one is not.
        let headers = signature.headers(path: batch.endpoint.path, idempotencyKey: batch.id, body: batch.body,
                                        unixTime: AgentClock.realUnixTime()) + [
            ("Idempotency-Key", batch.id), ("Content-Encoding", "gzip"), ("Content-Type", "application/x-ndjson"),
        ]
        let request = HTTPRequest(method: .post, path: batch.endpoint.path, headers: headers, body: batch.body,
                                  timeoutSeconds: timeoutSeconds)
        let response: HTTPResponse
        do {
            response = try connection.send(request)
        } catch {
            if case .retry(let after, _, let reason) = policy.decide(error: error, failedAttempts: failedAttempts, random: &random) {
                return .retry(afterSeconds: after, reason: reason)
            }
            return .retry(afterSeconds: policy.maxDelaySeconds, reason: error.description)
        }
        if response.status == 401 || response.status == 403 {
            // Not the batch's fault: wait at least 5 s, up to the policy's ceiling, and keep it.
            let after = max(5, policy.backoff(failedAttempts: failedAttempts, random: &random))
            return .credentialsRefused(afterSeconds: after, reason: "regulator answered HTTP \(response.status): "
                + Self.serverMessage(response) + " — check [regulator] token_file and hmac_secret_file against what the regulator issued to this platform")
        }
        switch policy.decide(response: response, failedAttempts: failedAttempts,
                             now: Double(AgentClock.realUnixMilliseconds()) / 1000, random: &random) {
        case .delivered:
            let (listed, unlisted) = Self.rejectedLines(response.body)
            return .delivered(removed: false, rejected: listed, unlisted: unlisted)
        case .retry(let after, _, let reason):
            return .retry(afterSeconds: after, reason: reason)
        case .deadLetter(let reason):
            return .deadLetter(reason: reason + ": " + Self.serverMessage(response))
        }
    }

    /// The regulator's `{"error": "…"}` text, or the start of the body; never our request.
    static func serverMessage(_ response: HTTPResponse) -> String {
        if let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
           let text = object["error"] as? String {
            return String(text.prefix(500))
        }
        let text = String(decoding: response.body.prefix(500), as: UTF8.self)
        return text.isEmpty ? "(no message)" : text
    }

    /// `rejected: [{line, reason}]` of a feed or receipts answer, and how many more
    /// `rejected_count` says there were (the regulator lists the first 100; an older one, all).
    static func rejectedLines(_ body: [UInt8]) -> (listed: [RejectedLine], unlisted: Int) {
        guard let answer = try? WireJSON.decode(RejectedLinesAnswer.self, from: body) else { return ([], 0) }
        let listed = answer.rejected.map { RejectedLine(line: $0.line, reason: $0.reason) }
        return (listed, max(0, (answer.rejectedCount ?? listed.count) - listed.count))
    }
}

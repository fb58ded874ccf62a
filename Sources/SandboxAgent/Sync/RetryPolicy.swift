/// What to do with a batch after one attempt to deliver it.
public enum DeliveryDecision: Sendable, Equatable {
    /// 2xx: the regulator has it; forget it.
    case delivered
    /// Try again after `afterSeconds`; `failedAttempts` counts this one, for the log and metrics.
    case retry(afterSeconds: Double, failedAttempts: Int, reason: String)
    /// The regulator will never take this batch as it is: keep it in the dead-letter table and alert.
    case deadLetter(reason: String)
}

/// When to retry a delivery and how long to wait: exponential backoff with full jitter, never
/// shorter than the regulator's `Retry-After`.
///
/// Pure: "now" and the random source are parameters, so the syncer, the tests and a simulation
/// all get the same answers from the same inputs.
public struct RetryPolicy: Sendable {
    /// Upper bound of the first wait; doubles with each failed attempt.
    public var baseDelaySeconds: Double
    /// The exponential bound stops growing here.
    public var maxDelaySeconds: Double
    /// A `Retry-After` further away than this is cut to it, so one wrong server clock cannot
    /// stall the link for days.
    public var maxRetryAfterSeconds: Double

    public init(baseDelaySeconds: Double = 0.5, maxDelaySeconds: Double = 60, maxRetryAfterSeconds: Double = 3600) {
        precondition(baseDelaySeconds > 0 && maxDelaySeconds >= baseDelaySeconds && maxRetryAfterSeconds >= 0)
        self.baseDelaySeconds = baseDelaySeconds
        self.maxDelaySeconds = maxDelaySeconds
        self.maxRetryAfterSeconds = maxRetryAfterSeconds
    }

    /// The decision for an HTTP answer. `failedAttempts` includes this attempt (1 after the first);
    /// `now` is Unix seconds, used only for a `Retry-After` given as an HTTP-date.
    public func decide<R: RandomNumberGenerator>(response: HTTPResponse, failedAttempts: Int, now: Double,
                                                 random: inout R) -> DeliveryDecision {
        decide(status: response.status, retryAfter: response.header("retry-after"),
               failedAttempts: failedAttempts, now: now, random: &random)
    }

    public func decide<R: RandomNumberGenerator>(status: Int, retryAfter: String?, failedAttempts: Int, now: Double,
                                                 random: inout R) -> DeliveryDecision {
        switch status {
        case 200...299:
            return .delivered
        case 408, 429, 500...599:
            var wait = backoff(failedAttempts: failedAttempts, random: &random)
            if let retryAfter, let asked = RetryPolicy.retryAfterSeconds(retryAfter, now: now) {
                wait = max(wait, min(asked, maxRetryAfterSeconds))
            }
            return .retry(afterSeconds: wait, failedAttempts: failedAttempts, reason: "regulator answered HTTP \(status)")
        case 400...499:
            return .deadLetter(reason: "regulator refused the batch with HTTP \(status)")
        default:
            // 1xx/3xx: not an answer about the batch (a redirect means a wrong url); keep it queued.
            return .retry(afterSeconds: backoff(failedAttempts: failedAttempts, random: &random),
                          failedAttempts: failedAttempts,
                          reason: "unexpected HTTP \(status) from the regulator; check [regulator] url")
        }
    }

    /// Every transport failure is worth retrying: the network, the regulator or its certificate
    /// can all be fixed without touching the batch.
    public func decide<R: RandomNumberGenerator>(error: TransportError, failedAttempts: Int,
                                                 random: inout R) -> DeliveryDecision {
        .retry(afterSeconds: backoff(failedAttempts: failedAttempts, random: &random),
               failedAttempts: failedAttempts, reason: error.description)
    }

    /// Full jitter: uniform in [0, min(max, base·2^(failedAttempts−1))).
    public func backoff<R: RandomNumberGenerator>(failedAttempts: Int, random: inout R) -> Double {
        // One draw, top 53 bits as a fraction: exactly one call to the source per decision (the
        // standard library's Double.random may draw again, which a scripted source cannot feed).
        let fraction = Double(random.next() >> 11) * 0x1p-53
        return fraction * backoffCeiling(failedAttempts: failedAttempts)
    }

    /// The upper bound of the jittered wait after `failedAttempts` failures.
    public func backoffCeiling(failedAttempts: Int) -> Double {
        let exponent = min(max(failedAttempts - 1, 0), 62)
        return min(maxDelaySeconds, baseDelaySeconds * Double(sign: .plus, exponent: exponent, significand: 1))
    }

    /// `Retry-After` as seconds from `now`: delay-seconds, or an HTTP-date (a past date is 0).
    /// nil when the value is neither.
    public static func retryAfterSeconds(_ value: String, now: Double) -> Double? {
        let text = value.trimmingSpaces()
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            return Double(text)  // huge values stay finite; the cap applies later
        }
        guard let date = HTTPDate.unixSeconds(text) else { return nil }
        return max(0, Double(date) - now)
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}

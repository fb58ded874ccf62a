import XCTest
@testable import SandboxAgent
@testable import SandboxGenerate

/// A generator that always returns the same word: 0 gives the shortest wait, .max the longest.
struct ConstantRandom: RandomNumberGenerator {
    var value: UInt64
    mutating func next() -> UInt64 { value }
}

final class SyncRetryPolicyTests: XCTestCase {
    let now: Double = 1_782_900_000  // 2026-07-01T10:00:00Z, a Wednesday
    let policy = RetryPolicy()

    func decide(_ status: Int, retryAfter: String? = nil, attempts: Int = 1, random: UInt64 = 0) -> DeliveryDecision {
        var r = ConstantRandom(value: random)
        return policy.decide(status: status, retryAfter: retryAfter, failedAttempts: attempts, now: now, random: &r)
    }

    func wait(_ decision: DeliveryDecision) -> Double? {
        if case .retry(let seconds, _, _) = decision { return seconds }
        return nil
    }

    func testStatusClasses() {
        for status in [200, 201, 202, 204] { XCTAssertEqual(decide(status), .delivered, "\(status)") }
        for status in [408, 429, 500, 502, 503, 504, 599] { XCTAssertNotNil(wait(decide(status)), "\(status)") }
        for status in [400, 401, 403, 404, 409, 413, 422] {
            guard case .deadLetter(let reason) = decide(status) else { return XCTFail("\(status) should dead-letter") }
            XCTAssertTrue(reason.contains("\(status)"))
        }
        // A redirect is a wrong url, not a verdict on the batch: keep it queued.
        guard case .retry(_, _, let reason) = decide(301) else { return XCTFail("301 should retry") }
        XCTAssertTrue(reason.contains("[regulator] url"), reason)
    }

    func testBackoffCeilingDoublesUpToTheCap() {
        XCTAssertEqual((1...9).map { policy.backoffCeiling(failedAttempts: $0) }, [0.5, 1, 2, 4, 8, 16, 32, 60, 60])
        XCTAssertEqual(policy.backoffCeiling(failedAttempts: 10_000), 60)
        XCTAssertEqual(policy.backoffCeiling(failedAttempts: 0), 0.5)
        let custom = RetryPolicy(baseDelaySeconds: 2, maxDelaySeconds: 5)
        XCTAssertEqual((1...4).map { custom.backoffCeiling(failedAttempts: $0) }, [2, 4, 5, 5])
    }

    func testFullJitterSpreadsOverTheWholeRange() {
        var random = SplitMix64(state: 7)
        let waits = (0..<2000).map { _ in policy.backoff(failedAttempts: 5, random: &random) }
        XCTAssertTrue(waits.allSatisfy { (0...8).contains($0) })
        XCTAssertLessThan(waits.min()!, 0.5)
        XCTAssertGreaterThan(waits.max()!, 7.5)
        var again = SplitMix64(state: 7)
        XCTAssertEqual(waits.prefix(10).map { $0 }, (0..<10).map { _ in policy.backoff(failedAttempts: 5, random: &again) },
                       "the same random source must give the same waits")
    }

    func testRetryAfterSecondsWinsWhenLater() {
        XCTAssertEqual(wait(decide(503, retryAfter: "2", random: .max)), 2)  // backoff at most 0.5
        XCTAssertEqual(wait(decide(429, retryAfter: " 17 ", random: 0)), 17)
        // Backoff later than Retry-After: the backoff wins.
        let late = wait(decide(503, retryAfter: "1", attempts: 10, random: .max))!
        XCTAssertGreaterThan(late, 59)
        XCTAssertEqual(wait(decide(503, retryAfter: "1", attempts: 10, random: 0)), 1)
    }

    func testRetryAfterHTTPDate() {
        XCTAssertEqual(wait(decide(503, retryAfter: "Wed, 01 Jul 2026 10:00:30 GMT")), 30)
        XCTAssertEqual(wait(decide(503, retryAfter: "Wednesday, 01-Jul-26 10:01:00 GMT")), 60)
        XCTAssertEqual(wait(decide(503, retryAfter: "Wed Jul  1 10:00:05 2026")), 5)
        // A date in the past asks for no wait: only the backoff is left.
        XCTAssertEqual(wait(decide(503, retryAfter: "Tue, 30 Jun 2026 10:00:00 GMT", random: 0)), 0)
        XCTAssertEqual(HTTPDate.unixSeconds("Sun, 06 Nov 1994 08:49:37 GMT"), 784_111_777)
        XCTAssertEqual(HTTPDate.unixSeconds("Sunday, 06-Nov-94 08:49:37 GMT"), 784_111_777)
        XCTAssertEqual(HTTPDate.unixSeconds("Sun Nov  6 08:49:37 1994"), 784_111_777)
        XCTAssertEqual(HTTPDate.unixSeconds("Thu, 29 Feb 2024 00:00:00 GMT"), 1_709_164_800)
        // A day that does not exist is no date (the core's CivilDate).
        XCTAssertNil(HTTPDate.unixSeconds("Mon, 30 Feb 2026 00:00:00 GMT"))
        XCTAssertNil(HTTPDate.unixSeconds("Thu, 31 Apr 2026 00:00:00 GMT"))
    }

    func testUnreadableOrHugeRetryAfter() {
        XCTAssertNil(RetryPolicy.retryAfterSeconds("soon", now: now))
        XCTAssertNil(RetryPolicy.retryAfterSeconds("-5", now: now))
        XCTAssertNil(RetryPolicy.retryAfterSeconds("1.5", now: now))
        XCTAssertNil(RetryPolicy.retryAfterSeconds("Wed, 01 Jul 2026 25:00:00 GMT", now: now))
        XCTAssertEqual(wait(decide(503, retryAfter: "soon", random: 0)), 0)
        XCTAssertEqual(wait(decide(503, retryAfter: "99999999")), 3600, "Retry-After is capped")
        XCTAssertEqual(wait(decide(503, retryAfter: "Fri, 01 Jan 2100 00:00:00 GMT")), 3600)
    }

    func testTransportErrorsAreRetriedWithTheirExplanation() {
        var random = ConstantRandom(value: .max)
        let decision = policy.decide(error: .cannotConnect(host: "127.0.0.1", port: 9, detail: "refused"),
                                     failedAttempts: 3, random: &random)
        guard case .retry(let seconds, let failed, let reason) = decision else { return XCTFail("\(decision)") }
        XCTAssertEqual(seconds, 2, accuracy: 0.001)
        XCTAssertEqual(failed, 3)
        XCTAssertTrue(reason.contains("cannot connect to 127.0.0.1:9"), reason)
    }

    func testResponseHeaderLookupIsCaseInsensitive() {
        let response = HTTPResponse(status: 503, headers: [("retry-after", "4")], body: [])
        var r = ConstantRandom(value: 0)
        XCTAssertEqual(wait(policy.decide(response: response, failedAttempts: 1, now: now, random: &r)), 4)
    }
}

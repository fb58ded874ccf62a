import SandboxFormats
import TestSupport
import XCTest
@testable import SandboxAgent
@testable import SandboxGenerate

final class SyncGzipSignatureTests: XCTestCase {

    func testGzipRoundTrips() throws {
        var random = SplitMix64(state: 1)
        let noise = (0..<300_000).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let text = Array(String(repeating: "{\"uscc\":\"92510104MA6C5L2X1Q\",\"name\":\"锦江\"}\n", count: 50_000).utf8)
        for input in [[], [0x41], text, noise] {
            for level: Int32 in [1, 6, 9] {
                let packed = Gzip.compress(input, level: level)
                XCTAssertEqual(Array(packed.prefix(3)), [0x1f, 0x8b, 0x08], "not a gzip member")
                XCTAssertEqual(try GzipReading.inflate(packed), input, "level \(level), \(input.count) bytes")
            }
        }
        XCTAssertLessThan(Gzip.compress(text, level: 9).count, Gzip.compress(text, level: 1).count + 1)
        XCTAssertLessThan(Gzip.compress(text, level: 1).count, text.count / 10)
    }

    /// docs/sync.md "Signature": HMAC-SHA256 over `sandbox-link-v2`, method, path, key, time and
    /// the body's SHA-256, one per line; the expected values are Python's hmac and hashlib.
    func testSignatureCoversKeyTimeAndBodyAsDocumented() {
        // Token and secret files usually end in a newline; it is not part of either.
        let fromFiles = FeedSignature(token: "abc123\n", secret: Array("Jefe\n".utf8))
        let body = Array("what do ya want for nothing?".utf8)
        let headers = fromFiles.headers(path: "/v1/feeds", idempotencyKey: "batch-1", body: body, unixTime: 1_700_000_000)
        XCTAssertEqual(headers.map(\.0), ["Authorization", "X-Sandbox-Timestamp", "X-Sandbox-Signature"])
        XCTAssertEqual(headers[0].1, "Bearer abc123")
        XCTAssertEqual(headers[1].1, "1700000000")
        XCTAssertEqual(headers[2].1, "sha256=274b7315c78593a4d57b1ff0c67190696077412a94327f1111d5c2365ce5d47c")
        // Another key (a replay under a new Idempotency-Key) is another signature…
        XCTAssertEqual(fromFiles.headers(path: "/v1/feeds", idempotencyKey: "batch-2", body: body, unixTime: 1_700_000_000)[2].1,
                       "sha256=2357b34616294a46821621cd18ea3041de0c4d3b117e6d916f454cbc1d5c100a")
        // …and so are another time, path or byte.
        for other in [fromFiles.headers(path: "/v1/feeds", idempotencyKey: "batch-1", body: body, unixTime: 1_700_000_001),
                      fromFiles.headers(path: "/v1/receipts", idempotencyKey: "batch-1", body: body, unixTime: 1_700_000_000),
                      fromFiles.headers(path: "/v1/feeds", idempotencyKey: "batch-1", body: body + [0x0a], unixTime: 1_700_000_000)] {
            XCTAssertNotEqual(other[2].1, headers[2].1)
        }
    }

    func testDescriptionHidesSecrets() {
        let signature = FeedSignature(token: "tok-visible?", secret: Array("secret-visible?".utf8))
        for text in ["\(signature)", String(reflecting: signature)] {
            XCTAssertFalse(text.contains("tok-visible"), text)
            XCTAssertFalse(text.contains("secret-visible"), text)
        }
    }
}

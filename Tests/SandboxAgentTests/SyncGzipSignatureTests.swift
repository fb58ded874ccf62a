import SandboxFormats
import XCTest
@testable import SandboxAgent

/// Bytes in memory as a ByteSource, to read Gzip's output back through the agent's own reader.
final class MemoryBytes: ByteSource {
    var bytes: [UInt8]
    var offset = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(UnreadableFile) -> Int {
        let n = min(buffer.count, bytes.count - offset)
        buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes.withUnsafeBytes { $0 }[offset..<offset + n]))
        offset += n
        return n
    }
}

/// Decompresses with the agent's own gzip reader (for tests).
func inflate(_ bytes: [UInt8]) throws -> [UInt8] {
    let reader = try GzipBytes(source: MemoryBytes(bytes))
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = try buffer.withUnsafeMutableBytes { try reader.read(into: $0) }
        if n == 0 { return out }
        out += buffer[0..<n]
    }
}

final class SyncGzipSignatureTests: XCTestCase {

    func testGzipRoundTrips() throws {
        var random = SplitMix64(state: 1)
        let noise = (0..<300_000).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let text = Array(String(repeating: "{\"uscc\":\"92510104MA6C5L2X1Q\",\"name\":\"锦江\"}\n", count: 50_000).utf8)
        for input in [[], [0x41], text, noise] {
            for level: Int32 in [1, 6, 9] {
                let packed = Gzip.compress(input, level: level)
                XCTAssertEqual(Array(packed.prefix(3)), [0x1f, 0x8b, 0x08], "not a gzip member")
                XCTAssertEqual(try inflate(packed), input, "level \(level), \(input.count) bytes")
            }
        }
        XCTAssertLessThan(Gzip.compress(text, level: 9).count, Gzip.compress(text, level: 1).count + 1)
        XCTAssertLessThan(Gzip.compress(text, level: 1).count, text.count / 10)
    }

    func testHMACMatchesRFC4231() {
        // RFC 4231 test case 2.
        let signature = FeedSignature(token: "t", secret: Array("Jefe".utf8))
        XCTAssertEqual(signature.signature(of: Array("what do ya want for nothing?".utf8)),
                       "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    func testHeadersAndSecretFileWhitespace() {
        // Token and secret files usually end in a newline; it is not part of either.
        let fromFiles = FeedSignature(token: "abc123\n", secret: Array("Jefe\n".utf8))
        let body = Array("what do ya want for nothing?".utf8)
        let headers = fromFiles.headers(for: body)
        XCTAssertEqual(headers.count, 2)
        XCTAssertEqual(headers[0].0, "Authorization")
        XCTAssertEqual(headers[0].1, "Bearer abc123")
        XCTAssertEqual(headers[1].0, "X-Sandbox-Signature")
        XCTAssertEqual(headers[1].1, "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        XCTAssertNotEqual(fromFiles.signature(of: body + [0x0a]), headers[1].1, "the signature must cover the exact bytes")
    }

    func testDescriptionHidesSecrets() {
        let signature = FeedSignature(token: "tok-visible?", secret: Array("secret-visible?".utf8))
        for text in ["\(signature)", String(reflecting: signature)] {
            XCTAssertFalse(text.contains("tok-visible"), text)
            XCTAssertFalse(text.contains("secret-visible"), text)
        }
    }
}

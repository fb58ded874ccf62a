import XCTest
@testable import SandboxCore
import TestSupport

final class PureSHA256Tests: XCTestCase {
    // FIPS 180-4 / NIST example vectors, and lengths around the 55/56/64-byte padding edges.
    func testKnownVectors() {
        XCTAssertEqual(PureSHA256.hexDigest(Array("".utf8)), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(PureSHA256.hexDigest(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(PureSHA256.hexDigest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(PureSHA256.hexDigest([UInt8](repeating: 0x61, count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        XCTAssertEqual(PureSHA256.hexDigest(Array("The quick brown fox jumps over the lazy dog".utf8)),
                       "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592")
    }

    func testPaddingEdgesAgreeWithSha256sum() throws {
        // Lengths 55, 56, 63, 64, 65 of 'a' cross every padding case; sha256sum is the reference.
        for n in [55, 56, 63, 64, 65, 119, 120] {
            let input = [UInt8](repeating: 0x61, count: n)
            XCTAssertEqual(PureSHA256.hexDigest(input), try Sha256sum.hex(input), "length \(n)")
        }
    }
}

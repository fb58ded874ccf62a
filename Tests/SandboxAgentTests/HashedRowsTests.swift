import XCTest
@testable import SandboxAgent

/// The rows under a hash are exactly those a scan of every row finds, whatever the table's size
/// (and so its number of buckets), for hashes held and not held, at the ends of the range too.
final class HashedRowsTests: XCTestCase {
    func testTheRowsUnderAHashAreThoseAScanFinds() throws {
        var random = SystemRandomNumberGenerator()
        for size in [0, 1, 2, 7, 8, 9, 100, 4_099, 70_000] {
            // Keys are their own hash (4 bytes); some hashes repeat, some sit at 0 and at the top.
            var keys: [UInt32] = (0..<size).map { _ in UInt32.random(in: 0...UInt32.max, using: &random) }
            if size > 10 { keys[0] = 0; keys[1] = .max; keys[2] = keys[3]; keys[4] = keys[3] }
            let rows = try XCTUnwrap(HashedRows(count: size, hash: { $0.withMemoryRebound(to: UInt32.self) { $0[0] } }) { body in
                for (row, key) in keys.enumerated() {
                    var k = key
                    guard withUnsafeBytes(of: &k, { body($0.bindMemory(to: UInt8.self), Int64(row)) }) else { return }
                }
            })
            var asked = Array(keys.prefix(500)) + [0, 1, .max, .max - 1, 1 << 31, (1 << 31) - 1]
            asked += (0..<200).map { _ in UInt32.random(in: 0...UInt32.max, using: &random) }
            for hash in asked {
                var found: [Int64] = []
                rows.forEachRow(hash: hash) { found.append($0); return true }
                let expected = keys.enumerated().filter { $0.element == hash }.map { Int64($0.offset) }
                XCTAssertEqual(found, expected, "size \(size), hash \(hash)")
            }
        }
    }

    /// Keys whose hashes share their high bits fall in one bucket, larger than a bucket's
    /// insertion sort takes: its rows are still in order and complete.
    func testABucketOfManyHashesIsSortedToo() throws {
        var random = SystemRandomNumberGenerator()
        for (size, spread) in [(300, UInt32(0xfff)), (40, 0x1f), (17, 0xff), (16, 0xff)] {
            let keys: [UInt32] = (0..<size).map { _ in 0xabc0_0000 | UInt32.random(in: 0...spread, using: &random) }
            let rows = try XCTUnwrap(HashedRows(count: size, hash: { $0.withMemoryRebound(to: UInt32.self) { $0[0] } }) { body in
                for (row, key) in keys.enumerated().reversed() {
                    var k = key
                    guard withUnsafeBytes(of: &k, { body($0.bindMemory(to: UInt8.self), Int64(row)) }) else { return }
                }
            })
            for hash in Set(keys).union([0xabc0_0000, 0xabc0_0000 | (spread + 1), 0]) {
                var found: [Int64] = []
                rows.forEachRow(hash: hash) { found.append($0); return true }
                let expected = keys.enumerated().filter { $0.element == hash }.map { Int64($0.offset) }
                XCTAssertEqual(found, expected, "size \(size), hash \(hash)")
            }
        }
    }

    func testARowPastThirtyTwoBitsLeavesNoRows() {
        let rows = HashedRows(count: 2, hash: { _ in 1 }) { body in
            var k: UInt8 = 0
            _ = withUnsafeBytes(of: &k) { body($0.bindMemory(to: UInt8.self), 1) }
            _ = withUnsafeBytes(of: &k) { body($0.bindMemory(to: UInt8.self), 1 << 33) }
        }
        XCTAssertNil(rows)
    }
}

import TestSupport
import XCTest
@testable import SandboxPolicy

/// The policy's key → row table against a `[String: Int]` (issue 16): it grows past the capacity
/// it was made with (the loader made it for 2^19 keys, and with no growth a platform of more than
/// 1,048,576 merchants would have looped for ever in the first insert past it), a key inserted
/// again takes its new value, and keys of every length, shared prefixes and the empty key are
/// told apart.
final class ByteKeyTableTests: XCTestCase {
    func testItAgreesWithADictionaryAsItGrowsFromTheSmallestSize() {
        var rng = SplitMix(seed: 23)
        var table = ByteKeyTable(capacity: 1)
        var expected: [String: Int] = [:]
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY严记")
        for i in 0..<60_000 {
            // Lengths 0–40, most of them sharing a prefix with others.
            let length = Int(rng.next() % 41)
            let key = String((0..<length).map { _ in alphabet[Int(rng.next() % UInt64(i % 7 == 0 ? alphabet.count : 3))] })
            let value = Int(rng.next() % 1_000_000)
            table.insert(key, value: value)
            expected[key] = value
        }
        XCTAssertEqual(table.count, expected.count)
        for (key, value) in expected { XCTAssertEqual(table[key], value, key) }
        for probe in ["nobody", "00000000000000000000000000000000000000000", "严记严记严记严记严记严记严记严记严记严记严记"] where expected[probe] == nil {
            XCTAssertNil(table[probe])
        }
    }

    func testMoreKeysThanTheOldFixedSlotsHeld() {
        // 1,100,000 merchant ids into a table made for 2^19, as the loader makes it.
        var table = ByteKeyTable(capacity: 1 << 19)
        for i in 0..<1_100_000 { table.insert(String(1_000_000_000 + i), value: i) }
        XCTAssertEqual(table.count, 1_100_000)
        for i in stride(from: 0, to: 1_100_000, by: 997) { XCTAssertEqual(table[String(1_000_000_000 + i)], i) }
        XCTAssertEqual(table["1001099999"], 1_099_999)
        XCTAssertNil(table["1001100000"])
    }

    func testAKeyInsertedAgainTakesItsNewValue() {
        var table = ByteKeyTable(capacity: 4)
        table.insert("92510104MA61U8HTX0", value: 1)
        table.insert("", value: 2)
        table.insert("92510104MA61U8HTX0", value: 3)
        XCTAssertEqual(table.count, 2)
        XCTAssertEqual(table["92510104MA61U8HTX0"], 3)
        XCTAssertEqual(table[""], 2)
        XCTAssertNil(table["92510104MA61U8HTX"])
    }

    /// Told the keys' bytes, the table sizes its records once (8 bytes a key and the key): grown by
    /// appends, the records of 469,000 merchant ids held twice their bytes (issue 16, session 32).
    func testRecordsAreSizedOnceWhenTheKeysBytesAreKnown() {
        let keys = (0..<1_000).map { String(format: "%010d", $0) }
        var sized = ByteKeyTable(capacity: keys.count, keyBytes: keys.count * 10)
        var grown = ByteKeyTable(capacity: keys.count)
        for (i, k) in keys.enumerated() { sized.insert(k, value: i); grown.insert(k, value: i) }
        XCTAssertLessThan(sized.recordsCapacity, 18_000 + 64)
        XCTAssertGreaterThan(grown.recordsCapacity, 18_000 + 64, "without the size, appends grow past it")
        for (i, k) in keys.enumerated() { XCTAssertEqual(sized.value(k), i) }
    }
}

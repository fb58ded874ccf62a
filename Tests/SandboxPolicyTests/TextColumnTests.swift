import XCTest
@testable import SandboxPolicy

/// Texts of a fact column in one byte buffer (issue 16): the same values as an array of optional
/// strings, nil and the empty text kept apart.
final class TextColumnTests: XCTestCase {
    let values: [String?] = ["1546778873", nil, "", "严记家居百货", nil, "92510104MA61U8HTX0"]

    func testRowsReadBackAsTheyWereAppended() {
        let column = TextColumn(values)
        XCTAssertEqual(column.count, values.count)
        XCTAssertEqual(Array(column), values)
        XCTAssertEqual(column.indices.map(column.isNil), [false, true, false, false, true, false])
        XCTAssertEqual(column.withBytes(3) { $0.map { Array($0) } }, Array("严记家居百货".utf8))
        XCTAssertNil(column.withBytes(1) { $0.map { Array($0) } })
        XCTAssertEqual(column.withBytes(2) { $0?.count }, 0, "the empty text is a value")

        var fromBytes = TextColumn()
        for v in values {
            if var v { v.withUTF8 { fromBytes.append(bytes: $0) } } else { fromBytes.append(bytes: nil) }
        }
        XCTAssertEqual(fromBytes, column)
        XCTAssertEqual(Array(TextColumn(repeating: "x", count: 3)), ["x", "x", "x"])
        XCTAssertEqual(Array(TextColumn(repeating: nil, count: 2)), [nil, nil])
    }

    func testASparseColumnReadsAsADenseOne() {
        // Nearly all nil, as the events' ids are; the empty text is a value there too.
        var rows: [String?] = Array(repeating: nil, count: 300)
        for (i, v) in [(0, "e0"), (63, ""), (64, "严记"), (150, "e150"), (299, "e299")] { rows[i] = v }
        var sparse = TextColumn(sparse: true)
        for (i, v) in rows.enumerated() {
            if i % 2 == 0 { sparse.append(v) } else if var v { v.withUTF8 { sparse.append(bytes: $0) } } else { sparse.append(bytes: nil) }
        }
        let dense = TextColumn(rows)
        XCTAssertEqual(sparse.count, 300)
        XCTAssertEqual(Array(sparse), rows)
        XCTAssertEqual(sparse, dense)
        XCTAssertEqual(sparse.indices.filter { !sparse.isNil($0) }, [0, 63, 64, 150, 299])
        XCTAssertEqual(sparse.withBytes(64) { $0.map { Array($0) } }, Array("严记".utf8))
        XCTAssertEqual(sparse.withBytes(63) { $0?.count }, 0, "the empty text is a value")
        XCTAssertEqual(Array(sparse.gathered([299, 1, 150, -1])), ["e299", nil, "e150", nil])
        var other = rows
        other[150] = "x"
        XCTAssertNotEqual(sparse, TextColumn(other))
        XCTAssertEqual(Array(TextColumn(sparse: true)), [])
    }

    /// `isDescribed` answers what `describe` answers (a text or none) for every kind of column,
    /// known and unknown rows, and a coded column read as another type.
    func testIsDescribedIsWhetherDescribeHasAText() {
        var known = Bits(count: 3), truth = Bits(count: 3)
        known[0] = true; known[2] = true; truth[2] = true
        let columns: [(FactColumn, ValueType)] = [
            (.bool(known: known, value: truth), .bool), (.number([1, 2, 3], known: known), .number),
            (.date([20_000, 0, 20_100], known: known), .date), (.coded([0, FactColumn.unknownCode, 1]), .coded(.status)),
            (.coded([0, FactColumn.unknownCode, 1]), .text), (.text(TextColumn(["a", nil, ""])), .text), (.presence(known), .bool),
        ]
        for (column, type) in columns {
            for row in 0..<3 {
                XCTAssertEqual(column.isDescribed(row: row, type: type), column.describe(row: row, type: type) != nil, "\(column) \(row)")
            }
        }
    }

    func testGatheredRowsAndTheFactColumnAroundThem() {
        let column = TextColumn(values)
        XCTAssertEqual(Array(column.gathered([5, -1, 3, 1, 0])), ["92510104MA61U8HTX0", nil, "严记家居百货", nil, "1546778873"])
        let fact = FactColumn.text(column)
        XCTAssertEqual(fact.count, 6)
        XCTAssertEqual(fact.known.indexes, [0, 2, 3, 5])
        XCTAssertEqual(fact.describe(row: 3, type: .text), "严记家居百货")
        guard case .text(let g) = fact.gather([3, 4]) else { return XCTFail("a text column gathers to text") }
        XCTAssertEqual(Array(g), ["严记家居百货", nil])

        let keys = ByteKeyTable(keys: column)
        XCTAssertEqual(keys["92510104MA61U8HTX0"], 5)
        XCTAssertEqual(keys[""], 2)
        XCTAssertNil(keys["nobody"])
    }

    /// The order the policy takes merchants in: by bytes, ties on the first eight bytes settled by
    /// the rest, equal rows and nil (as empty) in row order; the same order whatever the rows' order.
    func testAscendingRowsOrdersByBytesWhateverTheRowsOrder() {
        let texts: [String?] = ["6562307913", "1000002026", "10000020269", "1000002026", nil, "", "B", "A",
                                "12345678z", "12345678a", "成都", "1000002025", "12345678"]
        let column = TextColumn(texts)
        let order = column.ascendingRows()
        XCTAssertEqual(order, Array(texts.indices).sorted { a, b in
            let x = Array((texts[a] ?? "").utf8), y = Array((texts[b] ?? "").utf8)
            return x == y ? a < b : x.lexicographicallyPrecedes(y)
        })
        XCTAssertEqual(order.map { texts[$0] ?? "" }.prefix(4), ["", "", "1000002025", "1000002026"])
        var shuffled = Array(texts.indices)
        var g = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            shuffled.shuffle(using: &g)
            let again = TextColumn(shuffled.map { texts[$0] })
            XCTAssertEqual(again.ascendingRows().map { again[$0] ?? "" }, order.map { texts[$0] ?? "" })
        }
        XCTAssertEqual(TextColumn().ascendingRows(), [])
    }

    /// Gathered rows are copied into bytes sized for them: appended one by one, 10,000 bytes ended
    /// in 16,384 of capacity, held as long as the column (the pass's ids and USCCs, issue 16).
    func testGatheredRowsTakeTheBytesTheyNeed() {
        let column = TextColumn((0..<1_000).map { String(format: "%010d", $0) as String? } + [nil])
        let order = Array((0...1_000).reversed()) + [-1]
        let gathered = column.gathered(order)
        XCTAssertEqual(gathered.count, 1_002)
        XCTAssertEqual(gathered[0], nil)
        XCTAssertEqual(gathered[1], "0000000999")
        XCTAssertEqual(gathered[1_001], nil, "a negative row is nil")
        XCTAssertEqual(gathered.bytes.count, 10_000)
        XCTAssertLessThan(gathered.bytes.capacity, 10_000 + 64, "sized once, not grown by doubling")
    }
}

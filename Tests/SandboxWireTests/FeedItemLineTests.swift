import SandboxCore
import SandboxWire
import XCTest

/// What the agent writes per feed item is what the regulator's intake reads: the envelope written
/// with `FeedItemLine.append…` (as `FeedLineRenderer` writes it) and read with `FeedItemLine.read`.
final class FeedItemLineTests: XCTestCase {
    func line(type: FeedItemLine.ItemType = .merchant, platform: String = "p-1", key: String = "m-1",
              uscc: String? = "91510104MA6CJJ0124", hash: UInt64 = 18_446_744_073_709_551_615, version: Int64 = 1_780_000_000_000,
              pack: (String, Int64)? = ("chengdu-2026.1", 3), data: String = #"{"shop_name":"川味 \"小馆\"","n":3}"#) -> [UInt8] {
        var out: [UInt8] = []
        FeedItemLine.appendStart(type: type, platformID: platform, key: key, to: &out)
        if var u = uscc { u.withUTF8 { FeedItemLine.appendUSCC($0, to: &out) } } else { FeedItemLine.appendUSCC(nil, to: &out) }
        FeedItemLine.appendHash(hash, version: version, to: &out)
        if let pack {
            var packVersion = pack.0
            packVersion.withUTF8 { FeedItemLine.appendPack(version: $0, serial: pack.1, to: &out) }
        }
        FeedItemLine.appendDataKey(to: &out)
        out.append(contentsOf: data.utf8)
        FeedItemLine.appendEnd(to: &out)
        return out
    }

    func read(_ bytes: [UInt8], platform: String = "p-1") -> Result<FeedItemLine, FeedItemLine.Refusal> {
        // The intake reads a line without its newline.
        FeedItemLine.read(ArraySlice(bytes.last == 0x0A ? bytes.dropLast() : bytes[...]), platformID: platform)
    }

    func testWhatTheAgentWritesTheRegulatorReads() throws {
        let data = #"{"shop_name":"川味 \"小馆\"","n":3}"#
        let sent = try read(line(data: data)).get()
        XCTAssertEqual(sent, FeedItemLine(type: .merchant, platformID: "p-1", key: "m-1", uscc: "91510104MA6CJJ0124",
                                          contentHash: "18446744073709551615", packVersion: "chengdu-2026.1", packSerial: 3,
                                          version: 1_780_000_000_000, data: Array(data.utf8)))
        // Every type, keys and platforms that need escapes, no USCC, no pack.
        for type in FeedItemLine.ItemType.allCases {
            let got = try read(line(type: type, platform: "平台\"1\"", key: "a|b\\c\n", uscc: nil, hash: 0, pack: nil, data: "{}"),
                               platform: "平台\"1\"").get()
            XCTAssertEqual(got.type, type)
            XCTAssertEqual(got.key, "a|b\\c\n")
            XCTAssertEqual(got.uscc, type == .registry ? "a|b\\c\n" : nil)
            XCTAssertEqual(got.contentHash, "0")
            XCTAssertNil(got.packVersion)
            XCTAssertNil(got.packSerial)
            XCTAssertEqual(got.data, Array("{}".utf8))
        }
        XCTAssertEqual(String(decoding: line(uscc: nil, hash: 7, version: 2, pack: nil, data: "{}"), as: UTF8.self),
                       #"{"type":"merchant","platform_id":"p-1","key":"m-1","uscc":null,"content_hash":"7","version":2,"data":{}}"# + "\n")
    }

    func testTheRegulatorRefusesWhatNoAgentWrites() {
        let cases: [(String, String)] = [
            ("[1]", "not a JSON object"),
            (#"{"type":"x","data":{}}"#, "`type` x unknown; expected one of merchant, licence, event, registry, findings, class, roster, case, instruction, prompt"),
            (#"{"type":"merchant","platform_id":"p-2","key":"k","content_hash":"1","data":{}}"#,
             "`platform_id` p-2 is not the authenticated platform p-1"),
            (#"{"type":"merchant","platform_id":"p-1","key":"","content_hash":"1","data":{}}"#, "`key` missing, empty or longer than 512 bytes"),
            (#"{"type":"merchant","platform_id":"p-1","key":"k","content_hash":"1a","data":{}}"#,
             "`content_hash` must be a decimal number of 1…40 digits in a string"),
            (#"{"type":"merchant","platform_id":"p-1","key":"k","content_hash":"1","data":[]}"#, "`data` missing or not an object"),
            (#"{"type":"merchant","platform_id":"p-1","key":"k","content_hash":"1","version":0,"data":{}}"#,
             "`version` must be a whole number ≥ 1 (the record's version) or null"),
            (#"{"type":"merchant","platform_id":"p-1","key":"k\ud800","data":{}}"#, JSONValueParser.loneSurrogateReason),
        ]
        for (text, reason) in cases {
            guard case .failure(let refusal) = read(Array(text.utf8)) else { XCTFail("accepted: \(text)"); continue }
            XCTAssertEqual(refusal.reason, reason, text)
        }
    }
}

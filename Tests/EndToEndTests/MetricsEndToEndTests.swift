import Foundation
import SandboxService
import XCTest

/// The metrics text file: written atomically by the running service, valid Prometheus text
/// (checked by a strict parser of the exposition format), and telling what happened.
final class MetricsEndToEndTests: XCTestCase {
    func testTheServiceWritesValidPrometheusTextThatTellsWhatHappened() throws {
        let agent = try AgentHarness(extraConfig: "[metrics]\ntextfile = \"metrics/sandbox_agent.prom\"\ninterval_seconds = 5")
        let service = try agent.startService()
        defer { service.terminate(); service.waitUntilExit() }
        let file = agent.root.appendingPathComponent("metrics/sandbox_agent.prom")
        try agent.drop(text: "platform_merchant_id,shop_name,entity_type,category,uscc\nm-1,小店,enterprise,general,91510100MA6000008M\nm-2,,bogus,general,\n",
                       name: "merchants-metrics.csv")
        var samples: [String: Double] = [:]
        try agent.waitUntil(timeout: 30, "the metrics file shows the file") {
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { return false }
            samples = try PrometheusText.parse(text)
            return samples["sandbox_agent_files_total{platform_id=\"test-platform\",outcome=\"applied\"}"] == 1
        }
        XCTAssertEqual(samples["sandbox_agent_rows_total{platform_id=\"test-platform\",result=\"accepted\"}"], 1)
        XCTAssertEqual(samples["sandbox_agent_rows_total{platform_id=\"test-platform\",result=\"rejected\"}"], 1)
        XCTAssertEqual(samples["sandbox_agent_merchants{platform_id=\"test-platform\"}"], 1)
        XCTAssertEqual(samples["sandbox_agent_health"], 0)
        XCTAssertNotNil(samples["sandbox_agent_feed_queue_items{platform_id=\"test-platform\"}"])
        XCTAssertGreaterThan(samples.keys.filter { $0.hasPrefix("sandbox_agent_findings{") }.count, 0, "findings by code")
        XCTAssertEqual(samples["sandbox_agent_build_info{platform_id=\"test-platform\",version=\"\(ProjectVersion.current)\"}"], 1)
        let started = samples["sandbox_agent_start_time_seconds{platform_id=\"test-platform\"}"] ?? 0
        XCTAssertEqual(started, Date().timeIntervalSince1970, accuracy: 120, "the service's start time")
        XCTAssertEqual(samples["sandbox_agent_policy_last_pass_timestamp_seconds{platform_id=\"test-platform\"}"], 0, "no [policy]: never")
        // Every metric written is documented for the operators.
        let operations = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../docs/operations.md").standardizedFileURL, encoding: .utf8)
        let names = Set(samples.keys.map { String($0.prefix { $0 != "{" }) })
        for name in names.sorted() {
            XCTAssertTrue(operations.contains("`\(name)"), "\(name) is not in docs/operations.md")
        }
        // Written by rename: no temporary file is ever left beside it.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path), ["sandbox_agent.prom"])
    }

    func testTheStrictParserRefusesWhatPrometheusWouldRefuse() {
        XCTAssertNoThrow(try PrometheusText.parse("# HELP a_b x\n# TYPE a_b counter\na_b{l=\"v\\\"q\"} 1\n"))
        for bad in ["a_b 1\n",                                              // no TYPE
                    "# TYPE a_b counter\na_b{l=v} 1\n",                      // unquoted label value
                    "# TYPE a_b counter\na_b 1\na_b 2\n",                    // duplicate series
                    "# TYPE a_b counter\na_b one\n",                         // not a number
                    "# TYPE a_b summary_of_sorts\na_b 1\n",                  // unknown type
                    "# TYPE 1a counter\n1a 1\n",                             // bad name
                    "# TYPE a_b counter\na_b 1"] {                           // no final newline
            XCTAssertThrowsError(try PrometheusText.parse(bad), bad)
        }
    }
}

/// A strict reader of the Prometheus text exposition format 0.0.4, enough for our files:
/// names, quoted and escaped label values, a TYPE before every family's samples, no duplicate
/// series, numeric values, a final newline. Returns "name{labels}" → value.
enum PrometheusText {
    struct Invalid: Error, CustomStringConvertible { let description: String }

    static func parse(_ text: String) throws -> [String: Double] {
        guard text.hasSuffix("\n") else { throw Invalid(description: "the text must end with a newline") }
        let name = try NSRegularExpression(pattern: "^[a-zA-Z_:][a-zA-Z0-9_:]*$")
        func isName(_ s: String) -> Bool { name.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil }
        var types: [String: String] = [:]
        var samples: [String: Double] = [:]
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated() {
            let l = String(line)
            if l.hasPrefix("# TYPE ") {
                let parts = l.split(separator: " ")
                guard parts.count == 4, isName(String(parts[2])),
                      ["counter", "gauge", "histogram", "summary", "untyped"].contains(String(parts[3])) else {
                    throw Invalid(description: "line \(n + 1): bad TYPE line: \(l)")
                }
                guard types[String(parts[2])] == nil else { throw Invalid(description: "line \(n + 1): second TYPE for \(parts[2])") }
                types[String(parts[2])] = String(parts[3])
                continue
            }
            if l.hasPrefix("#") || l.isEmpty { continue }
            // name{labels} value
            var rest = Substring(l)
            let metric = String(rest.prefix { $0 != "{" && $0 != " " })
            guard isName(metric) else { throw Invalid(description: "line \(n + 1): bad metric name \(metric)") }
            guard types[metric] != nil else { throw Invalid(description: "line \(n + 1): sample of \(metric) before its TYPE") }
            rest = rest.dropFirst(metric.count)
            var labels = ""
            if rest.first == "{" {
                guard let close = closingBrace(rest) else { throw Invalid(description: "line \(n + 1): unclosed labels") }
                labels = String(rest[rest.startIndex...close])
                try checkLabels(String(labels.dropFirst().dropLast()), line: n + 1, isName: isName)
                rest = rest[rest.index(after: close)...]
            }
            guard rest.first == " ", let value = Double(rest.dropFirst().split(separator: " ").first ?? "") else {
                throw Invalid(description: "line \(n + 1): no numeric value: \(l)")
            }
            let key = metric + labels
            guard samples[key] == nil else { throw Invalid(description: "line \(n + 1): duplicate series \(key)") }
            samples[key] = value
        }
        return samples
    }

    private static func closingBrace(_ s: Substring) -> Substring.Index? {
        var inQuotes = false, escaped = false
        for i in s.indices {
            let c = s[i]
            if escaped { escaped = false; continue }
            if c == "\\" { escaped = true; continue }
            if c == "\"" { inQuotes.toggle(); continue }
            if c == "}" && !inQuotes { return i }
        }
        return nil
    }

    private static func checkLabels(_ body: String, line: Int, isName: (String) -> Bool) throws {
        var rest = Substring(body)
        while !rest.isEmpty {
            let label = String(rest.prefix { $0 != "=" })
            guard isName(label), rest.dropFirst(label.count).hasPrefix("=\"") else {
                throw Invalid(description: "line \(line): bad label in {\(body)}")
            }
            rest = rest.dropFirst(label.count + 2)
            var escaped = false, end: Substring.Index?
            for i in rest.indices {
                if escaped {
                    guard "\\\"n".contains(rest[i]) else { throw Invalid(description: "line \(line): bad escape in {\(body)}") }
                    escaped = false
                    continue
                }
                if rest[i] == "\\" { escaped = true; continue }
                if rest[i] == "\"" { end = i; break }
            }
            guard let end else { throw Invalid(description: "line \(line): unterminated label value in {\(body)}") }
            rest = rest[rest.index(after: end)...]
            if rest.first == "," { rest = rest.dropFirst() } else if !rest.isEmpty {
                throw Invalid(description: "line \(line): expected , between labels in {\(body)}")
            }
        }
    }
}

/// `[log] format = "json"`: every line on stderr is one JSON object with time, level, message and
/// the event's metadata as keys.
final class LogFormatEndToEndTests: XCTestCase {
    func testJSONLogLinesParse() throws {
        let agent = try AgentHarness()
        let text = try String(contentsOfFile: agent.configPath, encoding: .utf8)
            .replacingOccurrences(of: "level = \"debug\"", with: "level = \"debug\"\nformat = \"json\"")
        try text.write(toFile: agent.configPath, atomically: true, encoding: .utf8)
        try agent.drop(text: "platform_merchant_id,shop_name,entity_type,category\nm-1,小店,enterprise,general\n", name: "merchants-log.csv")
        let r = try agent.runOnce()
        let lines = r.stderr.split(separator: "\n")
        XCTAssertFalse(lines.isEmpty)
        var applied: [String: Any]?
        for line in lines {
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
            XCTAssertNotNil(object["time"] as? String)
            XCTAssertNotNil(object["level"] as? String)
            if object["message"] as? String == "file applied" { applied = object }
        }
        XCTAssertEqual(applied?["file"] as? String, "merchants-log.csv")
        XCTAssertEqual(applied?["accepted"] as? String, "1")
    }
}

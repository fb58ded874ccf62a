import Foundation
import TestSupport
import XCTest

/// The progress line of `check`, `run --once` and `generate` (issue 11): on a terminal it is
/// drawn in place on stderr; into a pipe, a file or under systemd nothing of it is written.
/// The terminal is a real pseudo-terminal made by util-linux `script`.
final class ProgressEndToEndTests: XCTestCase {
    /// What a person at a terminal would see: the pty's bytes, split at carriage returns, keeping
    /// the pieces that begin with `label` and the two spaces before the figures — each one a
    /// drawing of the progress line. (The pty turns every "\n" into "\r\n", so ordinary lines
    /// begin with "\n" here; a report line printed right after a wipe has one space after the name.)
    private func progressDrawings(_ output: String, label: String) -> [String] {
        // Split on the byte: to a Swift String "\r\n" is one character, not a "\r".
        output.utf8.split(separator: 0x0D, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }.filter { $0.hasPrefix(label + "  ") }
    }

    private func hasCarriageReturn(_ text: String) -> Bool { text.utf8.contains(0x0D) }

    /// Runs the agent under a pseudo-terminal (stdin, stdout and stderr all the tty).
    private func underTerminal(_ h: AgentHarness, _ arguments: [String],
                               environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else {
            throw XCTSkip("util-linux `script` is needed for a pseudo-terminal")
        }
        let command = ([AgentHarness.binary.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        // The service's environment must not leak into the child: these are what turn the line off.
        var env = ["NOTIFY_SOCKET": "", "INVOCATION_ID": "", "TERM": "xterm"]
        env.merge(environment) { _, new in new }
        // A wide terminal, so the whole line fits and every drawing begins with its label.
        return try runToCompletion(["script", "-qec", "stty cols 200 rows 40; " + command.joined(separator: " "), "/dev/null"],
                                   environment: env, in: h.root)
    }

    func testOnATerminalEachCommandDrawsItsProgressInPlace() throws {
        let h = try AgentHarness()
        let out = h.root.appendingPathComponent("generated")
        let generated = try underTerminal(h, ["generate", "--merchants", "20000", "--out", out.path, "--now", h.today])
        XCTAssertEqual(generated.status, 0, generated.output)
        let generating = progressDrawings(generated.output, label: "generating generated")
        XCTAssertFalse(generating.isEmpty, "no progress line: \(generated.output.debugDescription)")
        XCTAssertTrue(generating.first?.contains("0/20,000 merchants  0.0 MB") == true, generating.first ?? "")
        XCTAssertFalse(generating.contains { $0.contains("\n") }, "a drawing never breaks the line")

        let merchants = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: out.path).first { $0.hasPrefix("merchants-") })
        let checked = try underTerminal(h, ["check", out.appendingPathComponent(merchants).path, "--now", h.today])
        let reading = progressDrawings(checked.output, label: merchants)
        XCTAssertFalse(reading.isEmpty, "no progress line: \(checked.output.suffix(2000).debugDescription)")
        let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent(merchants).path)[.size] as? Int)
        let tenths = (size + 50_000) / 100_000
        let total = "/\(tenths / 10).\(tenths % 10) MB"
        XCTAssertTrue(reading.allSatisfy { $0.contains(" rows  ") && $0.contains(total) }, "\(reading)")
        XCTAssertTrue(checked.output.contains("20000 rows"), "the summary is still printed")

        try FileManager.default.copyItem(at: out.appendingPathComponent(merchants), to: h.inbox.appendingPathComponent(merchants))
        let ran = try underTerminal(h, ["run", "--once", "--no-sync", "--config", h.configPath, "--now", h.today])
        XCTAssertEqual(ran.status, 0, ran.output)
        XCTAssertFalse(progressDrawings(ran.output, label: merchants).isEmpty, "no progress line: \(ran.output.suffix(2000).debugDescription)")
        // Wiped before the log line that follows: that line starts on a clean row.
        XCTAssertNotNil(ran.output.utf8.firstRange(of: Array((String(repeating: " ", count: 20) + "\r").utf8)),
                        "the line is wiped at the end")
    }

    func testUnderSystemdNothingIsDrawnEvenOnATerminal() throws {
        let h = try AgentHarness()
        let out = h.root.appendingPathComponent("generated")
        for env in [["INVOCATION_ID": "0c2f3d"], ["NOTIFY_SOCKET": "/run/systemd/notify"]] {
            let r = try underTerminal(h, ["generate", "--merchants", "5000", "--out", out.path, "--now", h.today], environment: env)
            XCTAssertEqual(r.status, 0, r.output)
            XCTAssertTrue(progressDrawings(r.output, label: "generating generated").isEmpty, "\(env): \(r.output.debugDescription)")
            XCTAssertTrue(r.output.contains("merchants-"), "the command still prints its files: \(r.output)")
        }
    }

    /// Into pipes (a script, a log, `check --json | jq`): not one carriage return, and stdout
    /// stays one JSON object per line.
    func testIntoAPipeNoProgressIsWritten() throws {
        let h = try AgentHarness()
        let out = h.root.appendingPathComponent("generated")
        let generated = try h.run(["generate", "--merchants", "20000", "--out", out.path, "--now", h.today])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        XCTAssertFalse(hasCarriageReturn(generated.stdout + generated.stderr), generated.stderr)

        let merchants = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: out.path).first { $0.hasPrefix("merchants-") })
        let checked = try h.run(["check", "--json", out.appendingPathComponent(merchants).path, "--now", h.today])
        XCTAssertFalse(hasCarriageReturn(checked.stdout + checked.stderr), checked.stderr)
        let lines = checked.stdout.split(separator: "\n")
        XCTAssertGreaterThan(lines.count, 1)
        for line in lines {
            XCTAssertNotNil(try? JSONSerialization.jsonObject(with: Data(line.utf8)), "not JSON: \(line)")
        }
        XCTAssertEqual(checked.stderr, "", "nothing but the report")

        try FileManager.default.copyItem(at: out.appendingPathComponent(merchants), to: h.inbox.appendingPathComponent(merchants))
        let ran = try h.run(["run", "--once", "--no-sync", "--config", h.configPath, "--now", h.today])
        XCTAssertEqual(ran.status, 0, ran.stderr)
        XCTAssertTrue(ran.stdout.contains("1 applied"), ran.stdout)
        XCTAssertFalse(hasCarriageReturn(ran.stdout + ran.stderr), ran.stderr.suffix(2000).description)
    }
}

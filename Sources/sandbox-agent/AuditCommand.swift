import ArgumentParser
import Foundation
import SandboxAgent

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Export the audit trail: every finding change, directive and receipt, oldest first.",
        discussion: """
            "Why was this merchant suspended?" — `sandbox-agent audit --merchant ID` lists the \
            findings the agent opened (with their evidence and legal basis in --json), the \
            regulator's directives and the platform's receipts for that merchant, in order.
            """)

    @OptionGroup var configOptions: ConfigOptions

    @Option(help: "Only events about this platform merchant id.")
    var merchant: String?

    @Option(help: "Only events on or after this day (YYYY-MM-DD, Asia/Shanghai).")
    var since: String?

    @Flag(help: "One JSON object per event, with the full record as evidence.")
    var json = false

    func run() throws {
        let config = try configOptions.load()
        var from = Int64.min
        if let since {
            guard let day = parseDay(since) else {
                printError("sandbox-agent: --since must be a date YYYY-MM-DD, got \(since)")
                throw ExitCode(64)
            }
            from = day.shanghaiMidnight
        }
        let state = try AgentState(path: config.databasePath, readOnly: true)
        let out = StandardOutput()
        var count = 0
        try state.auditEvents(since: from, merchantID: merchant) { line in
            count += 1
            if json { out.line(line); return }
            guard let e = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { return }
            // Directive fields come from the regulator: escaped, so none can forge a line or
            // drive the terminal (--json needs nothing: JSON escapes its own).
            func text(_ k: String) -> String { TerminalText.escaped(e[k] as? String ?? "-") }
            out.line(Array("\(text("at"))  \(text("actor").padding(9))  \(text("kind").padding(16))  \(text("platform_merchant_id"))  \(text("detail"))".utf8))
        }
        out.flush()
        if count == 0 && !json { printError("no audit events" + (merchant.map { " for merchant \($0)" } ?? "") + (since.map { " since \($0)" } ?? "")) }
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}

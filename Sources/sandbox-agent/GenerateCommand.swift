import ArgumentParser
import SandboxAgent

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write realistic merchants, licences and registry exports (Chengdu, with a realistic share of problems).")

    @Option(help: "Number of merchants.")
    var merchants: Int

    @Option(help: "Folder to write into (created if missing). Files appear by rename, complete.")
    var out: String

    @Option(help: "Seed: the same seed gives the same bytes.")
    var seed: UInt64 = 1

    @Option(help: "utf-8 or gb18030 (as Excel in China writes CSV).")
    var encoding: String = "utf-8"

    @Option(help: "Header language: zh or en.")
    var headers: String = "zh"

    @Option(help: "Platform id used in merchant ids and file names.")
    var platform: String = "demo-platform"

    @OptionGroup var clockOptions: ClockOptions

    func validate() throws {
        guard (1...50_000_000).contains(merchants) else { throw ValidationError("--merchants must be 1…50000000") }
        guard ["utf-8", "gb18030"].contains(encoding) else { throw ValidationError("--encoding must be utf-8 or gb18030") }
        guard ["zh", "en"].contains(headers) else { throw ValidationError("--headers must be zh or en") }
    }

    func run() throws {
        try FileSystem.createDirectories(out)
        let files = try ExportGeneration.write(
            merchants: merchants, seed: seed, platformID: platform, today: try clockOptions.clock().today,
            folder: out, gb18030: encoding == "gb18030", chineseHeaders: headers == "zh",
            progress: ProgressDisplay.forStandardError())
        for f in files { print(f) }
    }
}

import ArgumentParser
import SandboxAgent
import SandboxGenerate
import SandboxCore

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write realistic merchants, licences and registry exports (Chengdu, with a realistic share of problems).",
        discussion: """
            --city writes a whole city instead: sellers with storefronts on 1–4 of --platforms platforms, \
            each platform's merchants, licences, registry and events exports of the day --now, in OUT/platform-N/. \
            The city's year begins on --start; run it again with a later --now for the next day's exports \
            (docs/generator.md, "The city").
            """)

    @Option(help: "Number of merchants (with --city: storefronts of the whole year, on every platform).")
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

    @Flag(help: "A city of several platforms, day by day (with --platforms and --start).")
    var city = false

    @Option(help: "With --city: how many platforms (1–9).")
    var platforms: Int = 9

    @Option(help: "With --city: the first day of the city's year, YYYY-MM-DD (default: --now).")
    var start: String?

    @OptionGroup var clockOptions: ClockOptions

    func validate() throws {
        guard (1...50_000_000).contains(merchants) else { throw ValidationError("--merchants must be 1…50000000") }
        guard ["utf-8", "gb18030"].contains(encoding) else { throw ValidationError("--encoding must be utf-8 or gb18030") }
        guard ["zh", "en"].contains(headers) else { throw ValidationError("--headers must be zh or en") }
        if city {
            guard merchants < 20_000_000 else { throw ValidationError("--city: --merchants must be 1…19999999") }
            guard (1...CityMix().platformWeights.count).contains(platforms) else {
                throw ValidationError("--platforms must be 1…\(CityMix().platformWeights.count)")
            }
            guard encoding == "utf-8" else { throw ValidationError("--city writes UTF-8 only") }
            if let start, CivilDate(isoText: start) == nil { throw ValidationError("--start must be a date YYYY-MM-DD, got \(start)") }
        }
    }

    func run() throws {
        try FileSystem.createDirectories(out)
        let today = try clockOptions.clock().today
        if city {
            let written = try CityGeneration.write(
                storefronts: merchants, seed: seed, platforms: platforms, start: start.flatMap(CivilDate.init(isoText:)) ?? today,
                day: today, folder: out, chineseHeaders: headers == "zh", progress: ProgressDisplay.forStandardError())
            for p in written.platforms {
                for path in [p.registryPath, p.licencesPath, p.eventsPath, p.merchantsPath] { print(path) }
            }
            return
        }
        let files = try ExportGeneration.write(
            merchants: merchants, seed: seed, platformID: platform, today: today,
            folder: out, gb18030: encoding == "gb18030", chineseHeaders: headers == "zh",
            progress: ProgressDisplay.forStandardError())
        for f in files { print(f) }
    }
}

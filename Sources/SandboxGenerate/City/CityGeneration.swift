import SandboxAgent
import SandboxCore

/// `sandbox-agent generate --city`: the city's exports of one day, with the progress line.
public enum CityGeneration {
    public static func write(storefronts: Int, seed: UInt64, platforms: Int, start: CivilDate, day: CivilDate,
                             folder: String, chineseHeaders: Bool, progress: ProgressDisplay? = nil) throws -> GeneratedCity {
        let generator = CityGenerator(seed: seed, storefronts: storefronts, platforms: platforms, start: start)
        progress?.start(ProgressLine(label: "city " + FileSystem.lastComponent(of: folder), rowsTotal: storefronts,
                                     rowNoun: "storefronts"))
        defer { progress?.finish() }
        return try generator.write(to: folder, day: day, headers: chineseHeaders ? .chinese : .english,
                                   progress: progress.map { display in { display.update(rows: $0, bytes: 0) } })
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SandboxCore

/// A city that looks like Chengdu (issue 13): sellers with storefronts on 1–4 of up to 9
/// platforms, each platform's exports (merchants, licences, registry, events) for any day of a
/// simulated year that begins on `start`. Same seed and day → byte-identical files; every record
/// is rebuilt from (seed, index, day), so memory stays flat (docs/generator.md, *The city*).
public struct CityGenerator: Sendable {
    public let seed: UInt64
    /// Storefronts of the whole year (the seed's "online merchants"); those opening later in the
    /// year are absent from earlier days' files.
    public let storefrontCount: Int
    public let start: CivilDate
    public let mix: CityMix
    let planner: CityPlanner
    let events: CityEventPlanner

    public init(seed: UInt64, storefronts: Int, platforms: Int, start: CivilDate, mix: CityMix = CityMix()) {
        precondition(storefronts >= 0 && storefronts < CityPlanner.registeredPersonOffset,
                     "storefronts must be 0…\(CityPlanner.registeredPersonOffset - 1)")
        self.seed = seed
        storefrontCount = storefronts
        self.start = start
        self.mix = mix
        planner = CityPlanner(seed: seed, start: start, platformCount: platforms, mix: mix)
        events = CityEventPlanner(seed: seed, start: start.dayNumber, mix: mix)
    }

    /// `platform-1` … `platform-N`, biggest first.
    public var platformIDs: [String] { planner.platforms.ids }

    /// `KIND-<platform>-<yyyymmdd>.csv`, as the single-platform generator names its files.
    public func fileName(kind: String, platform: String, day: CivilDate) -> String {
        "\(kind)-\(platform)-\(String(day.description.filter { $0 != "-" })).csv"
    }

    /// Writes every platform's four exports of `day` into `directory/<platform-id>/` (created),
    /// each file renamed into place when complete. The first day's events file carries the year
    /// before as history; later ones the last 30 days (a repeated event id is the same event).
    /// `progress` is told every 4,096 storefronts how many of the year's are done.
    public func write(to directory: String, day: CivilDate, headers: HeaderLanguage = .chinese,
                      progress: ((_ storefronts: Int) -> Void)? = nil) throws(GeneratorError) -> GeneratedCity {
        let today = day.dayNumber
        guard today >= start.dayNumber else { throw .dayBeforeStart(day: day.description, start: start.description) }
        var files: [CityPlatformFiles] = []
        for id in platformIDs {
            let folder = directory + "/" + id
            if mkdir(folder, 0o755) != 0 && errno != EEXIST { throw .cannotCreate(path: folder, errno: errno) }
            files.append(try CityPlatformFiles(platformID: id, directory: folder) { fileName(kind: $0, platform: id, day: day) })
        }
        let renderer = ExportRowRenderer(planner: planner.base, headers: headers)
        for f in files {
            try renderer.header(ExportColumns.merchants, into: &f.merchants)
            try renderer.header(ExportColumns.licences, into: &f.licences)
            try renderer.header(ExportColumns.registry, into: &f.registry)
            try renderer.header(ExportColumns.events, into: &f.events)
        }
        let window = today == start.dayNumber ? (today - 365)..<today : (today - 30)..<today
        var city = GeneratedCity(platforms: [], sellers: 0, storefrontsInYear: storefrontCount, storefronts: 0,
                                 storefrontsByType: [:], storefrontsWithProblems: 0, problemCounts: [:])
        var emitted = 0, seller = 0
        while emitted < storefrontCount {
            let enterprise = planner.enterprise(at: seller)
            let registry = enterprise.entity.hasUSCC ? enterprise.registryEntry(on: today) : nil
            var listed = false
            for slot in enterprise.platforms.indices where emitted < storefrontCount {
                if let progress, emitted & 4095 == 0 { progress(emitted) }
                emitted += 1
                guard let shop = planner.storefront(of: enterprise, slot: slot, on: today, registry: registry) else { continue }
                let f = files[enterprise.platforms[slot]]
                try renderer.merchantRow(shop.plan, into: &f.merchants)
                f.licenceRows += try renderer.licenceRows(shop.plan, into: &f.licences)
                if let entry = shop.registry {
                    try renderer.registryRow(entry, into: &f.registry)
                    f.registryRows += 1
                }
                for event in events.events(of: shop.plan.index, opened: shop.opened, closes: shop.closes, in: window) {
                    try renderer.eventRow(event, into: &f.events)
                    f.eventRows += 1
                }
                f.storefronts += 1
                city.storefronts += 1
                city.storefrontsByType[shop.plan.entity.type.rawValue, default: 0] += 1
                var problems = shop.plan.problems
                if let entry = shop.registry, entry.abnormal { problems.insert(GeneratedProblems(.abnormalList)) }
                if !problems.isEmpty { city.storefrontsWithProblems += 1 }
                for p in problems.list { city.problemCounts[p, default: 0] += 1 }
                listed = true
            }
            if listed { city.sellers += 1 }
            seller += 1
        }
        for f in files { city.platforms.append(try f.finish()) }
        return city
    }
}

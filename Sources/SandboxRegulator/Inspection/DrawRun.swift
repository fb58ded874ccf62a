import Foundation
import SandboxCore
import SandboxPolicy
import SandboxPack

/// The double-random draw (docs/policy.md §8): population from the store, ratios from the pack,
/// the pure `InspectionDraw`, and the result stored in `draws`. `sandbox-regulator draw` and the
/// console's draw page both run it through here — one implementation — so a draw made in the
/// browser is the draw the command makes with the same seed, day, region and inspectors.
public enum DrawRun {
    public struct Options: Sendable {
        /// A pack file; nil = the newest pack published in the `rulepacks` table.
        public var packPath: String?
        public var seed: String
        public var inspectorsPath: String
        /// nil = today in Asia/Shanghai.
        public var asOf: String?
        public var createdBy: String
        /// Only enterprises registered in this 6-digit division (USCC characters 3–8); nil = the city.
        public var region: String?

        public init(packPath: String?, seed: String, inspectorsPath: String, asOf: String?, createdBy: String, region: String? = nil) {
            self.packPath = packPath; self.seed = seed; self.inspectorsPath = inspectorsPath
            self.asOf = asOf; self.createdBy = createdBy; self.region = region
        }
    }

    /// The command's draw: the inspectors file read, the draw made and stored.
    public static func run(_ options: Options, store: RegulatorStore, now: Int64 = Int64(Date().timeIntervalSince1970)) async throws(DrawError) -> DrawReport {
        let inspectors = try InspectorsFile.load(path: options.inspectorsPath)
        let report = try await draw(seed: options.seed, inspectors: inspectors, asOf: options.asOf, region: options.region,
                                    packPath: options.packPath, store: store, now: now)
        return try await record(report, createdBy: options.createdBy, store: store, now: now)
    }

    /// The draw as it would be made now, not stored: what the console's preview shows (the strata
    /// and their sizes) and what `record` then stores. `progress` hears each phase as it begins
    /// (the console's preparation shows it while the officer waits).
    public static func draw(seed: String, inspectors: [Inspector], asOf asOfText: String?, region: String?, packPath: String?,
                            store: RegulatorStore, now: Int64,
                            progress: @Sendable (DrawPreparation.Phase) async -> Void = { _ in }) async throws(DrawError) -> DrawReport {
        let asOf: CivilDate
        if let text = asOfText {
            guard let day = CivilDate(isoText: text) else { throw DrawError("--as-of \(text) is not a date; write YYYY-MM-DD") }
            asOf = day
        } else {
            asOf = CivilDate(unixTime: now)   // the day in Asia/Shanghai (CivilDate adds the 8 hours)
        }
        if let region, !Jurisdiction.isDivisionCode(region) {
            throw DrawError("--region \(region) is not a 6-digit division code such as 510107")
        }
        let pack = try await loadPack(packPath, store: store)
        // A regulator removal counts when it is still in force at the end of the as-of day.
        let endOfDay = asOf.adding(days: 1).shanghaiMidnight - 1
        var population: [InspectionSubject]
        await progress(.population)
        do { population = try await store.read { try $0.drawPopulation(now: endOfDay, region: region) } } catch {
            throw DrawError("cannot read the population from the database: \(error)")
        }
        guard !population.isEmpty else {
            throw DrawError(region.map { "the population is empty: no USCC registered in \($0) with an open storefront is filed; check the region" }
                            ?? "the population is empty: no USCC with an open storefront is filed in this database; check --db")
        }
        // Frequency as well as ratio: an enterprise inspected within the pack's interval is not
        // drawn again; the published population is the rest.
        var recentlyInspected = 0
        if let days = pack.inspection.intervalDays {
            let inspected: Set<String>
            await progress(.inspected)
            do { inspected = try await store.read { try $0.inspectedSince(asOf.adding(days: -days)) } } catch {
                throw DrawError("cannot read the inspection results from the database: \(error)")
            }
            recentlyInspected = population.filter { inspected.contains($0.uscc) }.count
            population = population.filter { !inspected.contains($0.uscc) }
        }
        let result: InspectionDrawResult
        await progress(.drawing)
        do {
            result = try InspectionDraw.run(seed: seed, population: population,
                                            ratioBasisPoints: pack.inspection.ratioBasisPoints,
                                            inspectorsPerSubject: pack.inspection.inspectorsPerSubject, inspectors: inspectors,
                                            remoteStrata: pack.inspection.remoteStrata)
        } catch { throw DrawError(error.description) }
        return DrawReport(id: 0, asOf: asOf.description, packVersion: pack.packVersion, packSerial: pack.header.serial,
                          result: result, inspectors: Dictionary(uniqueKeysWithValues: inspectors.map { ($0.id, $0) }),
                          recentlyInspected: recentlyInspected, intervalDays: pack.inspection.intervalDays, region: region)
    }

    /// Stores a draw made by `draw`; its id is the stored row's.
    public static func record(_ made: DrawReport, createdBy: String, store: RegulatorStore, now: Int64) async throws(DrawError) -> DrawReport {
        var report = made
        let stored = report.stored(createdBy: createdBy)
        do { report.id = try await store.write { try $0.storeDraw(stored, now: now) } } catch {
            throw DrawError("the draw was made but could not be stored in the database: \(error); nothing was published, run it again")
        }
        return report
    }

    static func loadPack(_ path: String?, store: RegulatorStore) async throws(DrawError) -> RulePack {
        if let path {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw DrawError("\(path): cannot read the rule pack; check the path given to --pack")
            }
            do { return try RulePackValidation.compile(Array(data), file: path) } catch { throw DrawError("\(error)") }
        }
        let published: RulePack?
        do { published = try await store.read { try $0.publishedPack() } } catch {
            throw DrawError("the published rule pack does not compile: \(error); publish a valid pack or give --pack FILE")
        }
        guard let published else {
            throw DrawError("no rule pack is published in this database; publish one (rulepack publish) or give --pack FILE")
        }
        return published
    }
}

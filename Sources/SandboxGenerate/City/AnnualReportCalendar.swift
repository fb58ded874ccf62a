import SandboxCore

/// When a registered seller files each year's annual report (年度报告: 1 January – 30 June for
/// the year before), and the abnormal-operations listing that follows a missed deadline
/// (企业: 列入经营异常名录; 个体工商户: 标记为经营异常状态 — the registry's one flag), from
/// (seed, entity, report year) alone.
struct AnnualReportCalendar: Sendable {
    let seed: UInt64
    let entity: Int
    let type: EntityType
    let establishedYear: Int
    /// The first simulated day and its year.
    let start: Int
    let startYear: Int
    /// The last report the registry held on the first day when it was already overdue then
    /// (the backlog's annual_report_overdue), else nil.
    let overdueSince: Int?
    let mix: CityMix

    private static let salt: UInt64 = 0x616E_6E75_616C   // "annual"

    /// Day the report for `year` is filed; nil: never (within what is simulated), or not due
    /// (the seller did not exist that year).
    func filingDay(ofReport year: Int) -> Int? {
        guard year >= establishedYear else { return nil }
        let deadline = CivilDate(year: year + 1, month: 6, day: 30)!.dayNumber
        var rng = SplitMix64(seed: seed, salt: Self.salt, index: entity &* 16 &+ (year & 15))
        if let last = overdueSince, year > last {
            // Missed already before the first day: a few file late in the simulated year.
            if deadline < start { return rng.chance(0.3) ? start + rng.int(in: 1...200) : nil }
            if rng.chance(0.5) { return nil }
        }
        if deadline < start { return deadline - rng.below(150) }   // filed in time, before the simulation
        let onTime = type == .enterprise ? mix.annualReportOnTimeEnterprise : mix.annualReportOnTimeIndividual
        if rng.chance(onTime) {
            let month = 1 + rng.weighted(ChengduVocabulary.cumulative(mix.annualReportMonths))
            let first = CivilDate(year: year + 1, month: month, day: 1)!
            let days = first.adding(months: 1).dayNumber - first.dayNumber
            return first.dayNumber + rng.below(days)
        }
        return rng.chance(mix.annualReportLate) ? deadline + rng.int(in: 1...180) : nil
    }

    /// The latest report year filed by `day`; nil when none is (founded last year and not filed
    /// yet, or never filed).
    func lastFiledYear(on day: Int) -> Int? {
        let year = CivilDate(dayNumber: day).year
        var r = year - 1
        while r >= max(establishedYear, year - 12) {
            if let filed = filingDay(ofReport: r), filed <= day { return r }
            r -= 1
        }
        return nil
    }

    /// Listed for a missed report on `day`: the bureau lists in batches 10–60 days after 30 June
    /// whoever has not filed by then; a late filer may apply for credit repair (decided 5–25 days
    /// after its report).
    func listed(on day: Int) -> Bool {
        let year = CivilDate(dayNumber: day).year
        for r in (year - 3)...(year - 1) where r >= establishedYear {
            var rng = SplitMix64(seed: seed, salt: Self.salt ^ 0x6C69_7374, index: entity &* 16 &+ (r & 15))
            let listing = CivilDate(year: r + 1, month: 7, day: 1)!.dayNumber + rng.int(in: 10...60)
            guard listing <= day else { continue }
            let filed = filingDay(ofReport: r)
            if let filed, filed <= listing { continue }
            let repaired = filed.flatMap { f in rng.chance(mix.repairAfterLateReport) ? f + rng.int(in: 5...25) : nil }
            if repaired.map({ day < $0 }) ?? true { return true }
        }
        return false
    }
}

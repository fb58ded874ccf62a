import SandboxCore

/// Decides every fact of the city from (seed, index, day) alone: a seller from its index, its
/// storefront on one platform from (seller, slot), and what that storefront looks like on any
/// day of the simulated year. Nothing is kept between calls, so memory stays flat whatever the
/// size of the city, and each day's exports are reproducible on their own.
///
/// The first day's export is the base generator's (MerchantPlanner, with the city's entity mix and
/// backlog of problems, `today` = the first day); every later day applies the year's events to it.
struct CityPlanner: Sendable {
    let seed: UInt64
    /// The first simulated day (day number).
    let start: Int
    let mix: CityMix
    let platforms: CityPlatforms
    let base: MerchantPlanner

    /// Storefront indices are seller × 4 + slot (a seller has at most 4 storefronts).
    static let slots = 4
    /// Natural persons who register as 个体工商户 during the year get organization codes from here,
    /// apart from every seller's own.
    static let registeredPersonOffset = 20_000_000

    private static let sellerSalt: UInt64 = 0x7365_6C6C_6572      // "seller"
    private static let dayToDaySalt: UInt64 = 0x6461_7973          // "days"
    private static let fixSalt: UInt64 = 0x6669_78                  // "fix"
    private static let complaintsSalt: UInt64 = 0x636F_6D70         // "comp"
    /// 100,000 CNY: the generator's own knowledge of the limit, as its planted over-limit
    /// turnovers (100,500 CNY and up) have it; the pack's [verification] decides for the agents.
    static let smallScaleLimitFen: Int64 = 10_000_000

    init(seed: UInt64, start: CivilDate, platformCount: Int, mix: CityMix) {
        self.seed = seed
        self.start = start.dayNumber
        self.mix = mix
        platforms = CityPlatforms(count: platformCount, weights: mix.platformWeights)
        base = MerchantPlanner(seed: seed, today: start, mix: mix.backlog, entityMix: mix.entities)
    }

    // MARK: sellers

    func enterprise(at index: Int) -> CityEnterprise {
        var entity = base.entity(at: index)
        var rng = SplitMix64(seed: seed, salt: Self.sellerSalt, index: index)
        if entity.hasUSCC && rng.chance(mix.registeredElsewhere) {
            let elsewhere = rng.weighted(ChengduVocabulary.elsewhereWeights)
            entity.region = ChengduVocabulary.regions.count + elsewhere
            entity.address.region = entity.region
            entity.address.road %= ChengduVocabulary.elsewhere[elsewhere].roads.count
            if var a = entity.changedAddress {
                a.region = entity.region
                a.road %= ChengduVocabulary.elsewhere[elsewhere].roads.count
                entity.changedAddress = a
            }
        }
        let table: [Int]
        switch entity.type {
        case .naturalPerson: table = mix.platformsOfNaturalPerson
        case .individualBusiness: table = mix.platformsOfIndividualBusiness
        case .enterprise: table = rng.chance(mix.largeEnterpriseShare) ? mix.platformsOfLargeEnterprise : mix.platformsOfEnterprise
        }
        let count = 1 + rng.weighted(table)
        let platformList = platforms.draw(count, &rng)

        var change: CityEnterprise.RegistryChange?
        let changes = rng.chance(mix.registryChangesPerYear)
        let changeDay = start + 1 + rng.below(365)
        var name = entity.name
        name.trade1 = (name.trade1 + 1 + rng.below(ChengduVocabulary.tradeFirst.count - 1)) % ChengduVocabulary.tradeFirst.count
        var address = MerchantPlanner.address(&rng, region: entity.region < ChengduVocabulary.regions.count ? entity.region : 0)
        address.region = entity.region
        address.road %= ChengduVocabulary.region(entity.region).roads.count
        if address.road == entity.address.road && address.number == entity.address.number { address.number += 1 }
        let person = rng.chance(0.3) ? MerchantPlanner.person(&rng) : nil
        // One change a year at most: an entity that changed shortly before the first day (the
        // backlog's registry_changed) does not change again.
        if changes && entity.hasUSCC && !entity.problems.contains(.registryChanged) && !entity.woundDown {
            change = .init(day: changeDay, name: name, address: address, person: person)
        }
        let repairedRoll = rng.chance(mix.backlogRepairedPerYear)
        let repairDay = start + 1 + rng.below(365)
        let overdue = entity.problems.contains(.annualReportOverdue) ? entity.lastAnnualReportYear : nil
        let reports = AnnualReportCalendar(seed: seed, entity: index, type: entity.type,
                                           establishedYear: CivilDate(dayNumber: entity.established).year,
                                           start: start, startYear: CivilDate(dayNumber: start).year,
                                           overdueSince: overdue, mix: mix)
        return CityEnterprise(index: index, entity: entity, platforms: platformList, reports: reports, change: change,
                              backlogListingRepaired: repairedRoll ? repairDay : nil)
    }

    // MARK: storefronts

    /// The storefront of `seller` in `slot` (its `slot`-th platform) as exported on `day`; nil
    /// before it opens.
    func storefront(of seller: CityEnterprise, slot: Int, on day: Int, registry: EntityPlan?) -> CityStorefront? {
        let key = seller.index * Self.slots + slot
        var plan = base.storefront(at: key, entity: seller.entity, secondShop: false)
        // Every draw of the year, in a fixed order whatever is used, so one never moves another.
        var rng = SplitMix64(seed: seed, salt: Self.dayToDaySalt, index: key)
        let opensLater = rng.chance(mix.openedDuringYear)
        let openDay = start + 1 + rng.below(365)
        let closesLater = rng.chance(mix.closedDuringYear)
        let closeDay = start + 1 + rng.below(365)
        let automated = seller.platforms[slot] < mix.automatedVerificationPlatforms
        let cycle = rng.int(in: automated ? mix.automatedVerificationDays : mix.manualVerificationDays)
        let complaintsPhase = rng.below(30)
        let lapses = rng.chance(mix.displayLapsePerYear)
        let lapseDay = start + 1 + rng.below(365)
        let lapseKind = rng.below(100)
        let lapseFixed = mix.rectification.delay(&rng)
        let followsInTime = rng.chance(mix.registryChangeFollowedInTime)
        let followDays = rng.int(in: 1...14)
        let followLate = mix.rectification.delay(&rng)
        let renewalRoll = Double(rng.next() >> 11) * 0x1p-53
        let renewalOffset = rng.below(60)
        let recordDays = max(0, rng.below(28) - 13)   // half the same day, the rest within two weeks
        let recentlyOpened = rng.chance(mix.openedInYearBefore)
        let recentDay = start - 1 - rng.below(365)

        var opened = plan.openedAt
        // Online shops are young: some opened in the year before, not over the seller's life.
        if recentlyOpened && !opensLater && plan.entity.established <= recentDay && !plan.problems.contains(.verificationStale) {
            opened = recentDay
            plan.openedAt = recentDay
            plan.verifiedAt = max(plan.verifiedAt, recentDay)
        }
        if opensLater {
            guard day >= openDay else { return nil }
            opened = openDay
            plan.openedAt = openDay
            plan.verifiedAt = openDay                      // verified when it joins the platform
            plan.problems.subtract(GeneratedProblems(.verificationStale))
        }
        var registered = registry
        var verificationFrom = plan.verifiedAt
        // The first day's problems, each put right on its own day (or never).
        // A natural person whose shops together pass the small-scale limit (the regulator's sum,
        // 办法 art. 8) is over it as much as one whose single shop is.
        if plan.entity.type == .naturalPerson && seller.platforms.count > 1 && combinedTurnover(of: seller) > Self.smallScaleLimitFen {
            plan.problems.insert(GeneratedProblems(.smallScaleOverLimit))
        }
        for problem in plan.problems.list {
            // A person registers once, for all its shops: that fix is drawn per seller.
            let owner = problem == .smallScaleOverLimit ? seller.index * Self.slots : key
            var fixRng = SplitMix64(seed: seed, salt: Self.fixSalt, index: owner &* 32 &+ Int(GeneratedProblems(problem).rawValue.trailingZeroBitCount))
            guard let fixDay = fixDay(problem, &fixRng), day >= fixDay else { continue }
            if problem == .verificationStale { verificationFrom = fixDay }
            if problem == .smallScaleOverLimit {
                registered = registers(&plan, seller: seller, on: fixDay)
            }
            fix(problem, in: &plan, on: fixDay)
        }
        // Platforms re-verify on their cycle, counted from the last verification.
        if !plan.problems.contains(.verificationStale) && day > verificationFrom {
            plan.verifiedAt = verificationFrom + (day - verificationFrom) / cycle * cycle
        }
        renew(&plan, on: day, roll: renewalRoll, offset: renewalOffset)
        // A homepage display that lapses once in the year, unless one is already wrong.
        let displayProblems = [GeneratedProblem.licenceNotDisplayed, .displayedNameDiffers, .displayedAddressDiffers,
                               .displayedUSCCDiffers, .exemptionDeclarationNotDisplayed]
            .reduce(GeneratedProblems()) { $0.union(GeneratedProblems($1)) }
        if lapses && day >= lapseDay && plan.problems.isDisjoint(with: displayProblems) && !(lapseFixed.map { day >= lapseDay + $0 } ?? false) {
            lapse(&plan, kind: lapseKind)
        }
        // A change registration: the platform's own record follows the registry the same day where
        // it verifies against the registry continuously, within two weeks where it does so by hand
        // (RL-09 meanwhile); the homepage is the merchant's, mostly within the 15 days of 实施细则
        // art. 64, else late or never (RL-01).
        if let c = seller.change, day >= c.day {
            let recorded = automated ? c.day : c.day + recordDays
            let displayed = followsInTime ? c.day + followDays : followLate.map { c.day + 16 + $0 }
            let homepageFollowed = displayed.map { day >= $0 } ?? false
            let old = plan.entity
            if day >= recorded { adopt(c, in: &plan) }
            if homepageFollowed {
                if day < recorded { plan.displayedName = c.name; plan.displayedAddress = c.address }
            } else if day >= recorded {
                plan.displayedName = plan.displayedName ?? old.name
                plan.displayedAddress = plan.displayedAddress ?? old.address
            }
            if !(homepageFollowed && day >= recorded) { plan.problems.insert(GeneratedProblems(.registryChanged)) }
        }
        var closes: Int? = nil
        if closesLater && closeDay > opened {
            closes = closeDay
            if day >= closeDay { plan.status = .closed }
        }
        if plan.entity.woundDown { closes = nil }
        let block = (day - start + complaintsPhase) / 30
        if block > 0 {
            var c = SplitMix64(seed: seed, salt: Self.complaintsSalt, index: key &* 64 &+ (block & 63))
            plan.complaints = MerchantPlanner.complaints(&c)
        }
        return CityStorefront(plan: plan, registry: registered, opened: opened, closes: closes)
    }

    /// The turnover of all the seller's storefronts (what the regulator sums for a natural person).
    private func combinedTurnover(of seller: CityEnterprise) -> Int64 {
        seller.platforms.indices.reduce(Int64(0)) { sum, slot in
            sum + (base.storefront(at: seller.index * Self.slots + slot, entity: seller.entity, secondShop: false).turnoverFen ?? 0)
        }
    }

    /// The day a problem of the first day is put right, or nil; entity-level problems (the lists,
    /// annual reports) are the registry's and the calendar's, not the storefront's.
    private func fixDay(_ problem: GeneratedProblem, _ rng: inout SplitMix64) -> Int? {
        switch problem {
        case .abnormalList, .seriousViolationList, .annualReportOverdue: return nil
        case .registryEndsTrading: return mix.closingEndedEntity.delay(&rng).map { start + $0 }
        case .foodLicenceMissing, .foodLicenceExpired, .foodLicenceHolderMismatch, .prepackagedFilingMissing:
            return mix.licensing.delay(&rng).map { start + $0 }
        default: return mix.rectification.delay(&rng).map { start + $0 }
        }
    }

    private func fix(_ problem: GeneratedProblem, in plan: inout StorefrontPlan, on day: Int) {
        plan.problems.subtract(GeneratedProblems(problem))
        switch problem {
        case .usccCheckCharacter: plan.usccCorruption = 0
        case .licenceNotDisplayed, .exemptionDeclarationNotDisplayed: plan.licenceDisplayed = true
        case .displayedNameDiffers: plan.displayedName = nil
        case .displayedAddressDiffers: plan.displayedAddress = nil
        case .displayedUSCCDiffers: plan.displayedUSCCForm = 0
        case .foodLicenceMissing, .foodLicenceExpired:
            if let old = plan.licence { plan.previousLicence = old }
            plan.licence = newLicence(.foodBusiness, serial: MerchantPlanner.licenceSerial(plan.index, seed: seed), from: day)
        case .foodLicenceHolderMismatch: plan.licence?.foreignHolder = nil
        case .prepackagedFilingMissing:
            plan.prepackagedFiling = LicencePlan(type: .prepackagedFoodFiling, filing: true,
                                                 serial: MerchantPlanner.licenceSerial(plan.index, seed: seed),
                                                 validFrom: day, validTo: nil, foreignHolder: nil)
        case .verificationStale: plan.verifiedAt = day
        case .registryChanged:
            var e = plan.entity
            if let n = e.changedName { e.name = n }
            if let a = e.changedAddress { e.address = a }
            if let p = e.changedPerson { e.person = p }
            plan.entity = e
            plan.displayedName = nil
            plan.displayedAddress = nil
        case .registryEndsTrading: plan.status = .closed
        case .smallScaleOverLimit, .abnormalList, .seriousViolationList, .annualReportOverdue: break
        }
    }

    /// A natural person over the small-scale limit registers as a 个体工商户 (电子商务法 art. 10):
    /// a new USCC, a registry entry of its own, the licence information displayed.
    private func registers(_ plan: inout StorefrontPlan, seller: CityEnterprise, on day: Int) -> EntityPlan {
        var e = plan.entity
        e.index = Self.registeredPersonOffset + seller.index
        e.type = .individualBusiness
        e.name.form = 5
        e.established = day
        e.status = .subsisting
        e.problems = GeneratedProblems()
        e.lastAnnualReportYear = nil
        plan.entity = e
        plan.smallScale = false
        plan.licenceDisplayed = true
        return e
    }

    /// A licence ending during the year is renewed before the reminder window, inside it, late,
    /// or not at all; filings (备案) do not end.
    private func renew(_ plan: inout StorefrontPlan, on day: Int, roll: Double, offset: Int) {
        guard let licence = plan.licence, !licence.filing, let end = licence.validTo, end >= start else { return }
        let renewal: Int
        if roll < mix.renewalBeforeReminder {
            renewal = end - 31 - offset
        } else if roll < mix.renewalBeforeReminder + mix.renewalWithinReminder {
            renewal = end - 1 - offset % 30
        } else if roll < mix.renewalBeforeReminder + mix.renewalWithinReminder + mix.renewalLate {
            renewal = end + 1 + offset % 40
        } else {
            return
        }
        guard day >= renewal else { return }
        plan.previousLicence = licence
        var renewed = newLicence(licence.type, serial: (licence.serial + 1) % 1_000_000, from: renewal)
        renewed.foreignHolder = licence.foreignHolder
        plan.licence = renewed
    }

    private func newLicence(_ type: LicenceType, serial: Int, from day: Int) -> LicencePlan {
        LicencePlan(type: type, filing: false, serial: serial, validFrom: day,
                    validTo: CivilDate(dayNumber: day).adding(months: 60).dayNumber - 1, foreignHolder: nil)
    }

    private func lapse(_ plan: inout StorefrontPlan, kind: Int) {
        if !plan.entity.hasUSCC {
            if plan.smallScale {
                plan.licenceDisplayed = false
                plan.problems.insert(GeneratedProblems(.exemptionDeclarationNotDisplayed))
            }
            return
        }
        switch kind {
        case 0..<50:
            plan.licenceDisplayed = false
            plan.problems.insert(GeneratedProblems(.licenceNotDisplayed))
        case 50..<70:
            var n = plan.entity.name
            n.industry = (n.industry + 1) % ChengduVocabulary.industries(plan.entity.category).count
            plan.displayedName = n
            plan.problems.insert(GeneratedProblems(.displayedNameDiffers))
        case 70..<90:
            var a = plan.entity.address
            a.number += 1 + kind
            plan.displayedAddress = a
            plan.problems.insert(GeneratedProblems(.displayedAddressDiffers))
        default:
            plan.displayedUSCCForm = 2
            plan.problems.insert(GeneratedProblems(.displayedUSCCDiffers))
        }
    }

    /// The platform's record takes the registry's new name, address and representative (what the
    /// homepage shows is decided apart).
    private func adopt(_ change: CityEnterprise.RegistryChange, in plan: inout StorefrontPlan) {
        plan.entity.name = change.name
        plan.entity.address = change.address
        if let p = change.person { plan.entity.person = p }
    }
}

import SandboxCore

/// Decides every fact about merchant `i` from (seed, i) alone, so any merchant can be rebuilt in
/// any order and the three files agree without holding rows in memory.
struct MerchantPlanner: Sendable {
    let seed: UInt64
    let today: Int
    let todayDate: CivilDate
    let mix: ProblemMix
    /// Who trades: the single-platform export's mix by default, the city's its own (CityMix).
    let entityMix: EntityMix

    private static let entitySalt: UInt64 = 0x656E_7469_7479   // "entity"
    private static let shopSalt: UInt64 = 0x73_686F_70          // "shop"
    private static let secondShopSalt: UInt64 = 0x7365_636F_6E64 // "second"
    /// Draws added with the new categories (issue 13) come from streams of their own, so every
    /// earlier draw — and every share the tests check — stays as it was.
    private static let categorySalt: UInt64 = 0x6361_7465_676F   // "catego"
    private static let sideSalt: UInt64 = 0x73_6964_6532         // "side2"

    /// Category weights (per mille) for registered entities: general most, food ~20 %.
    private static let categoryWeights = ChengduVocabulary.cumulative([600, 200, 30, 30, 70, 20, 50])

    init(seed: UInt64, today: CivilDate, mix: ProblemMix, entityMix: EntityMix = EntityMix()) {
        self.seed = seed
        self.today = today.dayNumber
        self.todayDate = today
        self.mix = mix
        self.entityMix = entityMix
    }

    // MARK: entities

    private func entityStream(_ index: Int) -> SplitMix64 {
        SplitMix64(seed: seed, salt: MerchantPlanner.entitySalt, index: index)
    }

    /// The entity type is the stream's first draw, so the second-shop rule can read it cheaply.
    private func drawType(_ rng: inout SplitMix64) -> EntityType {
        let roll = rng.below(1000)
        return roll < entityMix.naturalPersonPerMille ? .naturalPerson
            : roll < entityMix.naturalPersonPerMille + entityMix.individualBusinessPerMille ? .individualBusiness : .enterprise
    }

    func entityType(at index: Int) -> EntityType {
        var rng = entityStream(index)
        return drawType(&rng)
    }

    func entity(at index: Int) -> EntityPlan {
        var rng = entityStream(index)
        let type = drawType(&rng)
        let category: CategoryIndex = type == .naturalPerson
            ? (rng.chance(0.85) ? .general : .other)
            : CategoryIndex(rawValue: rng.weighted(MerchantPlanner.categoryWeights))!
        let region = rng.weighted(ChengduVocabulary.regionWeights)
        let person = MerchantPlanner.person(&rng)
        let name = MerchantPlanner.entityName(&rng, type: type, category: category)
        let address = MerchantPlanner.address(&rng, region: region)
        let numeric = type == .enterprise && rng.chance(0.35)

        var problems = GeneratedProblems()
        var status = RegistrationStatus.subsisting
        var changedAt: Int?
        var changedName: EntityNamePlan?, changedAddress: AddressPlan?, changedPerson: PersonNamePlan?
        var abnormal = false, serious = false, woundDown = false, overdue = false
        // Latest possible establishment day; constraints below only lower it.
        var establishedLatest = today - 60
        if type != .naturalPerson {
            if rng.chance(mix.registryEndsTrading) {
                problems.add(.registryEndsTrading)
                status = rng.chance(0.5) ? .revoked : .cancelled
            } else if rng.chance(0.02) {
                woundDown = true
                status = .cancelled
            } else {
                status = rng.chance(type == .enterprise ? 0.8 : 0.5) ? .subsisting : .operating
            }
            if rng.chance(mix.registryChanged) {
                problems.add(.registryChanged)
                changedAt = today - rng.int(in: 20...200)
                var n = name
                n.trade1 = (n.trade1 + 1 + rng.below(ChengduVocabulary.tradeFirst.count - 1)) % ChengduVocabulary.tradeFirst.count
                changedName = n
                var a = MerchantPlanner.address(&rng, region: region)
                if a.road == address.road && a.number == address.number { a.number += 1 }
                changedAddress = a
                if rng.chance(0.3) { changedPerson = MerchantPlanner.person(&rng) }
            } else if rng.chance(0.4) {
                changedAt = today - rng.int(in: 400...3000)   // an old change the platform already has
            }
            if let c = changedAt { establishedLatest = min(establishedLatest, c - 30) }
            if rng.chance(mix.abnormalList) { abnormal = true; problems.add(.abnormalList) }
            if rng.chance(mix.seriousViolationList) { serious = true; problems.add(.seriousViolationList) }
            if rng.chance(mix.annualReportOverdue) {
                overdue = true
                problems.add(.annualReportOverdue)
                establishedLatest = min(establishedLatest,
                                        CivilDate(year: overdueReportYear, month: 1, day: 1)!.dayNumber - 1)
            }
        }
        let established = establishedLatest - rng.int(in: 0...4000)
        var reportYear: Int?
        if type != .naturalPerson {
            let establishedYear = CivilDate(dayNumber: established).year
            if overdue {
                reportYear = overdueReportYear
            } else if establishedYear < todayDate.year {
                // A fresh entity reports for its first year in the next one.
                reportYear = todayDate.year - 1
            }
        }
        var categoryStream = SplitMix64(seed: seed, salt: MerchantPlanner.categorySalt, index: index)
        let categories = MerchantPlanner.listedCategories(&categoryStream, type: type, vocabulary: category)
        return EntityPlan(index: index, type: type, category: category, categories: categories, region: region, name: name,
                          person: person, address: address, numericOrganizationCode: numeric,
                          established: established, status: status, changedAt: changedAt,
                          changedName: changedName, changedAddress: changedAddress, changedPerson: changedPerson,
                          abnormal: abnormal, seriousViolation: serious, lastAnnualReportYear: reportYear,
                          woundDown: woundDown, problems: problems)
    }

    /// 经营类目 as listed, several for some [ours, for the demo]: natural persons selling their own
    /// farm produce (art. 10), general shops that also sell prepackaged food or farm produce, food
    /// shops that also sell farm produce, and medical devices by class (I nothing, II 备案, III licence).
    static func listedCategories(_ rng: inout SplitMix64, type: EntityType, vocabulary: CategoryIndex) -> [MerchantCategory] {
        let roll = rng.below(1000)
        switch vocabulary {
        case _ where type == .naturalPerson: return roll < 200 ? [.edibleFarmProduce] : [vocabulary.category]
        case .general:
            return roll < 60 ? [.general, .prepackagedFood] : roll < 100 ? [.edibleFarmProduce]
                : roll < 130 ? [.general, .edibleFarmProduce] : [.general]
        case .food: return roll < 150 ? [.food, .edibleFarmProduce] : [.food]
        case .medicalDevice: return roll < 200 ? [.medicalDeviceI] : roll < 760 ? [.medicalDeviceII] : [.medicalDevice]
        default: return [vocabulary.category]
        }
    }

    /// Two years back once last year's report is due (after 30 June); three years back before.
    var overdueReportYear: Int {
        let deadlinePassed = todayDate.month > 6
        return todayDate.year - (deadlinePassed ? 2 : 3)
    }

    // MARK: storefronts

    /// A storefront is the second shop of the previous merchant's entity (~2 %), never of a
    /// natural person and never a chain of three.
    func isSecondShop(_ index: Int) -> Bool {
        guard index > 0, rawSecondShop(index), !rawSecondShop(index - 1) else { return false }
        return entityType(at: index - 1) != .naturalPerson
    }

    private func rawSecondShop(_ index: Int) -> Bool {
        var rng = SplitMix64(seed: seed, salt: MerchantPlanner.secondShopSalt, index: index)
        return rng.chance(0.02)
    }

    func storefront(at index: Int) -> StorefrontPlan {
        let second = isSecondShop(index)
        return storefront(at: index, entity: entity(at: second ? index - 1 : index), secondShop: second)
    }

    /// Storefront `index` of `entity`: its own draws come from streams keyed by `index`, so the
    /// city can give one entity storefronts on several platforms, each with its own index.
    func storefront(at index: Int, entity: EntityPlan, secondShop second: Bool) -> StorefrontPlan {
        var rng = SplitMix64(seed: seed, salt: MerchantPlanner.shopSalt, index: index)
        var problems = entity.problems

        var status: StorefrontStatus = {
            let roll = rng.below(100)
            return roll < 93 ? .active : roll < 96 ? .suspended : .closed
        }()
        if entity.woundDown { status = .closed }
        var side = SplitMix64(seed: seed, salt: MerchantPlanner.sideSalt, index: index)
        if entity.problems.contains(.registryEndsTrading) { status = .active }

        // Identity shown on the homepage.
        var corruption = 0, displayed = true, displayedUSCCForm = 0
        var displayedName: EntityNamePlan?, displayedAddress: AddressPlan?
        if entity.hasUSCC {
            if rng.chance(mix.usccCheckCharacter) {
                corruption = 1 + rng.below(30)
                problems.add(.usccCheckCharacter)
            }
            if rng.chance(mix.licenceNotDisplayed) {
                displayed = false
                problems.add(.licenceNotDisplayed)
            } else {
                if rng.chance(mix.displayedNameDiffers) {
                    var n = entity.name
                    let count = ChengduVocabulary.industries(entity.category).count
                    n.industry = (n.industry + 1 + rng.below(count - 1)) % count
                    displayedName = n
                    problems.add(.displayedNameDiffers)
                }
                if rng.chance(mix.displayedAddressDiffers) {
                    var a = entity.address
                    a.number += 1 + rng.below(300)
                    displayedAddress = a
                    problems.add(.displayedAddressDiffers)
                }
                if rng.chance(mix.displayedUSCCDiffers) {
                    displayedUSCCForm = 1 + rng.below(2)
                    problems.add(.displayedUSCCDiffers)
                }
            }
        }

        // Dates: opened after establishment; verified after opening.
        let earliestOpen = max(entity.established, today - 3650)
        var verified: Int, opened: Int
        if rng.chance(mix.verificationStale) && earliestOpen <= today - 190 {
            verified = max(earliestOpen, today - rng.int(in: 190...720))
            opened = verified - rng.below(verified - earliestOpen + 1)
            problems.add(.verificationStale)
        } else {
            opened = today - 1 - rng.below(max(1, today - 1 - earliestOpen))
            verified = today - rng.below(min(175, today - opened) + 1)
        }

        // Trade.
        var smallScale = false
        var turnover: Int64?
        switch entity.type {
        case .naturalPerson:
            smallScale = true
            // Exempt from registration, not from display: the self-declaration (是否亮照).
            if side.chance(mix.exemptionDeclarationNotDisplayed) {
                displayed = false
                problems.add(.exemptionDeclarationNotDisplayed)
            }
            if rng.chance(mix.smallScaleOverLimit) {
                turnover = Int64(rng.int(in: 10_050_000...40_000_000))
                problems.add(.smallScaleOverLimit)
            } else {
                switch entityMix.naturalPersonTurnover {
                case .uniform: turnover = Int64(rng.int(in: 200_000...9_800_000))
                case .logUniform: turnover = MerchantPlanner.logUniformFen(&rng, decades: 3...4)
                }
            }
        case .individualBusiness:
            if rng.chance(0.9) { turnover = MerchantPlanner.logUniformFen(&rng, decades: 4...6) }
        case .enterprise:
            if rng.chance(0.9) { turnover = MerchantPlanner.logUniformFen(&rng, decades: 5...7) }
        }
        let complaints = MerchantPlanner.complaints(&rng)

        // Shop name.
        let products = ChengduVocabulary.products(entity.category).count
        let ownBrand = rng.chance(0.6)
        let shopTrade1 = ownBrand ? entity.name.trade1 : rng.below(ChengduVocabulary.tradeFirst.count)
        let shopTrade2 = ownBrand ? entity.name.trade2 : rng.below(ChengduVocabulary.tradeSecond.count)
        let shopForm = entity.type == .enterprise ? rng.below(7) : 2 + rng.below(5)
        let shopProduct = rng.below(products)
        let shopSurname = rng.below(ChengduVocabulary.surnames.count)
        let shopQuoted = rng.chance(0.003)

        // Licences.
        var licence: LicencePlan?, previous: LicencePlan?
        let licenceType: LicenceType?
        switch entity.category {
        case .food: licenceType = .foodBusiness
        case .drug: licenceType = .drugBusiness
        case .medicalDevice: licenceType = .medicalDevice
        case .publication: licenceType = .publication
        case .general where entity.hasUSCC:
            let roll = rng.below(1000)
            licenceType = roll < 20 ? .foodBusiness : roll < 30 ? .other : nil
        default: licenceType = nil
        }
        // 仅销售预包装食品 beside general goods: the 备案, unless a food licence covers it.
        var prepackagedFiling: LicencePlan?
        if entity.categories.contains(.prepackagedFood), licenceType != .foodBusiness {
            if side.chance(mix.prepackagedFilingMissing) {
                problems.add(.prepackagedFilingMissing)
            } else {
                prepackagedFiling = LicencePlan(type: .prepackagedFoodFiling, filing: true,
                                                serial: MerchantPlanner.licenceSerial(index, seed: seed),
                                                validFrom: max(entity.established, today - side.below(1500)),
                                                validTo: nil, foreignHolder: nil)
            }
        }
        if let type = licenceType {
            var expired = false, foreign = false, missing = false
            if entity.category == .food {
                let roll = Double(rng.next() >> 11) * 0x1p-53
                if roll < mix.foodLicenceMissing {
                    missing = true; problems.add(.foodLicenceMissing)
                } else if roll < mix.foodLicenceMissing + mix.foodLicenceExpired {
                    expired = true; problems.add(.foodLicenceExpired)
                } else if roll < mix.foodLicenceMissing + mix.foodLicenceExpired + mix.foodLicenceHolderMismatch {
                    foreign = true; problems.add(.foodLicenceHolderMismatch)
                }
            }
            if !missing {
                // The draw stays (every later draw keeps its place); the class decides.
                _ = type == .medicalDevice && rng.chance(0.7)
                let filing = entity.categories.contains(.medicalDeviceII)
                let serial = MerchantPlanner.licenceSerial(index, seed: seed)
                var from: Int, to: Int?
                if expired {
                    let end = today - rng.int(in: 1...400)
                    from = CivilDate(dayNumber: end + 1).adding(months: -60).dayNumber
                    to = end
                } else {
                    from = today - rng.below(min(1790, max(1, today - entity.established)))
                    to = filing ? nil : CivilDate(dayNumber: from).adding(months: 60).dayNumber - 1
                }
                var holder: EntityNamePlan?
                if foreign {
                    var n = entity.name
                    n.trade2 = (n.trade2 + 1 + rng.below(ChengduVocabulary.tradeSecond.count - 1)) % ChengduVocabulary.tradeSecond.count
                    holder = n
                }
                // Class I devices need nothing: no row.
                if !entity.categories.contains(.medicalDeviceI) {
                    licence = LicencePlan(type: filing ? .medicalDeviceFiling : type, filing: filing, serial: serial,
                                          validFrom: from, validTo: to, foreignHolder: holder)
                }
                // A renewed licence: the old, expired one is still in the platform's file.
                if !expired && !filing && rng.chance(0.05) {
                    let oldTo = from - 1
                    previous = LicencePlan(type: type, filing: false, serial: (serial + 500_000) % 1_000_000,
                                           validFrom: CivilDate(dayNumber: oldTo + 1).adding(months: -60).dayNumber,
                                           validTo: oldTo, foreignHolder: nil)
                }
            }
        }

        return StorefrontPlan(index: index, entity: entity, secondShop: second, shopForm: shopForm,
                              shopTrade1: shopTrade1, shopTrade2: shopTrade2, shopProduct: shopProduct,
                              shopSurname: shopSurname, shopQuoted: shopQuoted, status: status,
                              openedAt: opened, verifiedAt: verified, complaints: complaints,
                              turnoverFen: turnover, smallScale: smallScale, usccCorruption: corruption,
                              licenceDisplayed: displayed, displayedName: displayedName,
                              displayedAddress: displayedAddress, displayedUSCCForm: displayedUSCCForm,
                              licence: licence, previousLicence: previous, prepackagedFiling: prepackagedFiling,
                              problems: problems)
    }

    // MARK: pieces

    /// 近90日投诉数: none for most shops, a handful for some, dozens for a few.
    static func complaints(_ rng: inout SplitMix64) -> Int {
        let roll = rng.below(100)
        if roll < 65 { return 0 }
        if roll < 90 { return 1 + rng.below(3) }
        if roll < 99 { return 4 + rng.below(10) }
        return 14 + rng.below(40)
    }

    static func person(_ rng: inout SplitMix64) -> PersonNamePlan {
        let surname = rng.below(ChengduVocabulary.surnames.count)
        if rng.chance(0.3) {
            return PersonNamePlan(surname: surname, given1: rng.below(ChengduVocabulary.givenSingle.count), given2: -1)
        }
        return PersonNamePlan(surname: surname, given1: rng.below(ChengduVocabulary.givenFirst.count),
                              given2: rng.below(ChengduVocabulary.givenSecond.count))
    }

    static func entityName(_ rng: inout SplitMix64, type: EntityType, category: CategoryIndex) -> EntityNamePlan {
        let form: Int
        switch type {
        case .enterprise:
            let roll = rng.below(100)
            form = roll < 40 ? 0 : roll < 70 ? 1 : roll < 80 ? 2 : roll < 90 ? 3 : 4
        case .individualBusiness: form = rng.chance(0.75) ? 5 : 6
        case .naturalPerson: form = 0
        }
        return EntityNamePlan(form: form, trade1: rng.below(ChengduVocabulary.tradeFirst.count),
                              trade2: rng.below(ChengduVocabulary.tradeSecond.count),
                              industry: rng.below(ChengduVocabulary.industries(category).count),
                              suffix: rng.below(ChengduVocabulary.individualSuffixes.count))
    }

    static func address(_ rng: inout SplitMix64, region: Int) -> AddressPlan {
        let roll = rng.below(100)
        return AddressPlan(region: region, road: rng.below(ChengduVocabulary.region(region).roads.count),
                           number: 1 + rng.below(999), form: roll < 40 ? 0 : roll < 70 ? 1 : roll < 92 ? 2 : 3,
                           building: 1 + rng.below(30), floor: 1 + rng.below(32), room: 1 + rng.below(20),
                           asciiComma: rng.chance(0.01))
    }

    /// Log-uniform turnover: 10^decade CNY times 1.00 … 9.99, in fen.
    static func logUniformFen(_ rng: inout SplitMix64, decades: ClosedRange<Int>) -> Int64 {
        var base: Int64 = 100   // 1 CNY in fen; 10^decades CNY after the loop
        for _ in 0..<rng.int(in: decades) { base *= 10 }
        return base * Int64(100 + rng.below(900)) / 100 + Int64(rng.below(100))
    }

    /// Licence serials are a bijection of the merchant index (mod 10^6), so numbers do not repeat
    /// within a region for up to a million merchants.
    static func licenceSerial(_ index: Int, seed: UInt64) -> Int {
        (index &* 618_033 &+ Int(seed % 1_000_000)) % 1_000_000
    }
}

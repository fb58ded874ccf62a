/// Every rate of the simulated city (`sandbox-agent generate --city`): who trades, on how many of
/// the platforms, the problems an export shows on the first day, and how the city changes day by
/// day — shops open and close, problems appear and are put right, licences are renewed, annual
/// reports are filed, platforms re-verify, complaints and penalties happen. Where each number
/// comes from (a public figure, or calibrated against the seed's outcome figures) is in
/// docs/generator.md, *The city*; change them there and here together.
public struct CityMix: Sendable, Equatable {
    // MARK: who trades

    /// Natural persons (自然人, trading without registration), 个体工商户, enterprises.
    /// Natural persons' turnover log-uniform (most sell little, 零星小额), not uniform up to the
    /// limit: with the uniform draw half a person's two shops together passed it (RL-08).
    public var entities: EntityMix = {
        var m = EntityMix(naturalPersonPerMille: 420, individualBusinessPerMille: 380)
        m.naturalPersonTurnover = .logUniform
        return m
    }()
    /// Registered sellers whose registration is outside Chengdu (a firm of 德阳 or 重庆 trading here):
    /// the platforms count a shop as Chengdu's by where it operates, its registration may be in
    /// the 成德眉资 area or Chongqing. They cannot join the sandbox (本地企业, issue 13 correction
    /// 10); calibrated (docs/generator.md) once the merchants counted were the trading ones.
    public var registeredElsewhere = 0.14
    /// Relative sizes of the platforms, biggest first; its count is the most platforms `--platforms` takes.
    public var platformWeights = [28, 20, 14, 10, 8, 7, 6, 4, 3]
    /// Cumulative shares (per mille) of sellers on 1, 2, 3 or 4 platforms.
    public var platformsOfNaturalPerson = [980, 1000]
    public var platformsOfIndividualBusiness = [880, 980, 1000]
    public var platformsOfEnterprise = [700, 900, 970, 1000]
    /// Large sellers (this share of enterprises) are on several platforms more often.
    public var largeEnterpriseShare = 0.10
    public var platformsOfLargeEnterprise = [300, 600, 850, 1000]

    // MARK: the first day's export

    /// Problems already in the export on the first day (shares as ProblemMix documents them).
    public var backlog: ProblemMix = {
        var m = ProblemMix()
        m.usccCheckCharacter = 0.002; m.displayedNameDiffers = 0.003; m.displayedAddressDiffers = 0.003
        m.displayedUSCCDiffers = 0.001; m.licenceNotDisplayed = 0.004
        m.foodLicenceMissing = 0.005; m.foodLicenceExpired = 0.005; m.foodLicenceHolderMismatch = 0.003
        m.smallScaleOverLimit = 0.020; m.verificationStale = 0.005; m.registryChanged = 0.003
        m.registryEndsTrading = 0.001; m.abnormalList = 0.015; m.seriousViolationList = 0.002
        m.annualReportOverdue = 0.015; m.prepackagedFilingMissing = 0.020; m.exemptionDeclarationNotDisplayed = 0.015
        return m
    }()

    // MARK: day by day (rates per year)

    /// Storefronts that open during the year (absent from the exports before), and that close.
    public var openedDuringYear = 0.20
    public var closedDuringYear = 0.12
    /// Storefronts that opened in the year before the first day (online shops are younger than
    /// their sellers: the rest opened at any time since the seller was founded, up to 10 years).
    public var openedInYearBefore = 0.25
    /// A storefront's homepage display lapses once in the year (licence badge gone, an old name or
    /// address, a wrong code), as a shop redesign does.
    public var displayLapsePerYear = 0.01
    /// Registered sellers that change their registration (变更登记) during the year, and the share
    /// of their storefronts whose homepage follows within the 15 days of 实施细则 art. 64 (the
    /// platform's own record follows by its verification: CityPlanner).
    public var registryChangesPerYear = 0.03
    public var registryChangeFollowedInTime = 0.85
    /// How quickly display and identity problems are put right once visible.
    public var rectification = RectificationBehaviour(quickShare: 0.80, quickDays: 1...8, slowShare: 0.14, slowDays: 12...45)
    /// How quickly a missing or lapsed licence (or 备案) is obtained once the goods are taken down.
    public var licensing = RectificationBehaviour(quickShare: 0.60, quickDays: 5...40, slowShare: 0.25, slowDays: 41...150)
    /// How quickly the platform closes a storefront whose entity was revoked or cancelled.
    public var closingEndedEntity = RectificationBehaviour(quickShare: 0.95, quickDays: 1...3, slowShare: 0.03, slowDays: 4...20)

    // MARK: annual reports (企业信息公示暂行条例 art. 8; 个体工商户: 实施细则 art. 63)

    /// Share filing last year's report by 30 June.
    public var annualReportOnTimeEnterprise = 0.96
    public var annualReportOnTimeIndividual = 0.94
    /// Of those missing 30 June, the share filing later in the year (the rest never do).
    public var annualReportLate = 0.50
    /// When the on-time filers file, by month January … June (relative weights: the last weeks
    /// carry most).
    public var annualReportMonths = [5, 5, 12, 18, 25, 35]
    /// Of late filers on the abnormal list, the share who apply for credit repair after filing.
    public var repairAfterLateReport = 0.70
    /// Of sellers on the abnormal list on the first day, the share repaired during the year.
    public var backlogRepairedPerYear = 0.30

    // MARK: licences

    /// Renewal of a licence that ends during the year: before the 30-day reminder window, inside
    /// it, after it lapsed (1–40 days), never (the rest).
    public var renewalBeforeReminder = 0.70
    public var renewalWithinReminder = 0.20
    public var renewalLate = 0.07

    // MARK: platforms' periodic verification (电子商务法 art. 27)

    /// The largest platforms verify continuously against the registry; the others by hand, each
    /// storefront on a cycle within the six months (verified_at + 6 months is never less than
    /// 181 days later): a cycle of 182–184 days ran a day or three past the agent's due date
    /// (PLATFORM_VERIFICATION_OVERDUE) at every turn, an RL-09 case no platform keeping the
    /// six-month rule would give.
    public var automatedVerificationPlatforms = 5
    public var automatedVerificationDays = 60...150
    public var manualVerificationDays = 120...181

    // MARK: events per storefront and year (events-* files)

    public var complaintsPerYear = 0.40
    public var disputesPerYear = 0.15
    /// Violations the platform records (its own checks and the bureaus' inspection results); this
    /// share of them is serious.
    public var violationsPerYear = 0.03
    public var seriousViolationShare = 0.10
    public var penaltiesPerYear = 0.004
    public var recallsPerYear = 0.001

    public init() {}
}

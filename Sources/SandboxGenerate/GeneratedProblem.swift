/// A deliberate defect the generator plants in a merchant, so tests and demos know what the agent
/// should find (the red line it maps to is in docs/generator.md).
public enum GeneratedProblem: String, CaseIterable, Sendable, Hashable {
    /// 统一社会信用代码 with a wrong check character (position 18); the registry has the right code.
    case usccCheckCharacter = "uscc_check_character"
    /// 公示名称 differs from 经营者名称 (an old name still on the homepage).
    case displayedNameDiffers = "displayed_name_differs"
    /// 公示住所 differs from 住所.
    case displayedAddressDiffers = "displayed_address_differs"
    /// 公示统一社会信用代码 differs from the USCC (old 15-digit number or a transposition).
    case displayedUSCCDiffers = "displayed_uscc_differs"
    /// 是否亮照 = 否; the three 公示 columns are then empty.
    case licenceNotDisplayed = "licence_not_displayed"
    /// A food merchant with no licence row.
    case foodLicenceMissing = "food_licence_missing"
    /// A food merchant whose only licence expired (有效期至 before today).
    case foodLicenceExpired = "food_licence_expired"
    /// A food merchant whose licence is held by another name (持证主体 ≠ 经营者名称).
    case foodLicenceHolderMismatch = "food_licence_holder_mismatch"
    /// A natural person declaring small-scale trade with turnover over 100,000 CNY.
    case smallScaleOverLimit = "small_scale_over_limit"
    /// 平台核验日期 more than 6 months (at least 190 days) before today.
    case verificationStale = "verification_stale"
    /// The registry name and address changed 20–200 days ago; the platform still has the old ones.
    case registryChanged = "registry_changed"
    /// Registry status 吊销 or 注销 while the storefront is active.
    case registryEndsTrading = "registry_ends_trading"
    /// 列入经营异常名录.
    case abnormalList = "abnormal_list"
    /// 列入严重违法失信名单.
    case seriousViolationList = "serious_violation_list"
    /// 最近年报年度 two years back (three before 1 July, when last year's report is not yet due).
    case annualReportOverdue = "annual_report_overdue"
    /// A merchant listing 仅销售预包装食品 with neither the 备案 nor a food licence (RL-04: 下架).
    case prepackagedFilingMissing = "prepackaged_filing_missing"
    /// A natural person exempt from registration whose homepage does not show the self-declaration
    /// (是否亮照 = 否; RL-13).
    case exemptionDeclarationNotDisplayed = "exemption_declaration_not_displayed"
}

/// How often each problem is planted, as a share of the merchants it can apply to.
///
/// The defaults give about 15–18 % of merchants at least one problem; see docs/generator.md.
public struct ProblemMix: Sendable, Equatable {
    /// Share of merchants with a USCC (enterprises and individual businesses).
    public var usccCheckCharacter = 0.010
    public var displayedNameDiffers = 0.015
    public var displayedAddressDiffers = 0.015
    public var displayedUSCCDiffers = 0.005
    public var licenceNotDisplayed = 0.020
    /// Shares of food merchants; at most one of the three per merchant.
    public var foodLicenceMissing = 0.030
    public var foodLicenceExpired = 0.030
    public var foodLicenceHolderMismatch = 0.020
    /// Share of natural persons (all of whom declare small-scale trade).
    public var smallScaleOverLimit = 0.150
    /// Share of all merchants.
    public var verificationStale = 0.030
    /// Shares of registered entities (one registry row each).
    public var registryChanged = 0.020
    public var registryEndsTrading = 0.005
    public var abnormalList = 0.020
    public var seriousViolationList = 0.003
    public var annualReportOverdue = 0.025
    /// Share of merchants listing 仅销售预包装食品 without a food licence.
    public var prepackagedFilingMissing = 0.050
    /// Share of natural persons.
    public var exemptionDeclarationNotDisplayed = 0.050

    public init() {}

    /// No planted problems: every merchant is clean (the agent should find nothing).
    public static let none: ProblemMix = {
        var m = ProblemMix()
        m.usccCheckCharacter = 0; m.displayedNameDiffers = 0; m.displayedAddressDiffers = 0
        m.displayedUSCCDiffers = 0; m.licenceNotDisplayed = 0; m.foodLicenceMissing = 0
        m.foodLicenceExpired = 0; m.foodLicenceHolderMismatch = 0; m.smallScaleOverLimit = 0
        m.verificationStale = 0; m.registryChanged = 0; m.registryEndsTrading = 0
        m.abnormalList = 0; m.seriousViolationList = 0; m.annualReportOverdue = 0
        m.prepackagedFilingMissing = 0; m.exemptionDeclarationNotDisplayed = 0
        return m
    }()
}

/// The set of problems planted in one merchant.
public struct GeneratedProblems: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ problem: GeneratedProblem) {
        switch problem {
        case .usccCheckCharacter: rawValue = 1 << 0
        case .displayedNameDiffers: rawValue = 1 << 1
        case .displayedAddressDiffers: rawValue = 1 << 2
        case .displayedUSCCDiffers: rawValue = 1 << 3
        case .licenceNotDisplayed: rawValue = 1 << 4
        case .foodLicenceMissing: rawValue = 1 << 5
        case .foodLicenceExpired: rawValue = 1 << 6
        case .foodLicenceHolderMismatch: rawValue = 1 << 7
        case .smallScaleOverLimit: rawValue = 1 << 8
        case .verificationStale: rawValue = 1 << 9
        case .registryChanged: rawValue = 1 << 10
        case .registryEndsTrading: rawValue = 1 << 11
        case .abnormalList: rawValue = 1 << 12
        case .seriousViolationList: rawValue = 1 << 13
        case .annualReportOverdue: rawValue = 1 << 14
        case .prepackagedFilingMissing: rawValue = 1 << 15
        case .exemptionDeclarationNotDisplayed: rawValue = 1 << 16
        }
    }
    public func contains(_ problem: GeneratedProblem) -> Bool { contains(GeneratedProblems(problem)) }
    /// The problems in declaration order.
    public var list: [GeneratedProblem] { GeneratedProblem.allCases.filter { contains($0) } }

    mutating func add(_ problem: GeneratedProblem) { formUnion(GeneratedProblems(problem)) }
}

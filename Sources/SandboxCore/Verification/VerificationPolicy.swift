/// The numbers qualification verification uses, as data so a rule pack can change them.
public struct VerificationPolicy: Sendable, Equatable, Codable {
    /// The platform re-verifies each merchant at least this often (电子商务法 art. 27, practice: 6).
    public var reverificationMonths: Int
    /// Small-scale exemption (零星小额) turnover ceiling, in fen (practice: 100,000 CNY).
    public var smallScaleTurnoverLimitFen: Int64
    /// Days a merchant has to update displayed licence information after a change (实施细则 art. 64: 15).
    public var registryChangeGraceDays: Int
    /// A valid licence ending within this many days raises an informational prompt (30).
    public var licenceExpiringWithinDays: Int
    /// Last day to file last year's annual report (企业信息公示暂行条例 art. 8: 30 June).
    public var annualReportDeadlineMonth: Int
    public var annualReportDeadlineDay: Int
    /// Categories that need a licence or a 备案, and which types meet the need — any one of them
    /// (电子商务法 art. 12; 食品安全法 art. 35). A category not listed needs nothing.
    public var licenceRequired: [MerchantCategory: [LicenceType]]

    public init(reverificationMonths: Int, smallScaleTurnoverLimitFen: Int64, registryChangeGraceDays: Int,
                licenceExpiringWithinDays: Int, annualReportDeadlineMonth: Int, annualReportDeadlineDay: Int,
                licenceRequired: [MerchantCategory: [LicenceType]]) {
        self.reverificationMonths = reverificationMonths
        self.smallScaleTurnoverLimitFen = smallScaleTurnoverLimitFen
        self.registryChangeGraceDays = registryChangeGraceDays
        self.licenceExpiringWithinDays = licenceExpiringWithinDays
        self.annualReportDeadlineMonth = annualReportDeadlineMonth
        self.annualReportDeadlineDay = annualReportDeadlineDay
        self.licenceRequired = licenceRequired
    }

    /// DOMAIN.md §2–§3: 6 months, 100,000 CNY, 15 days, 30 days, 30 June. Food, drugs, class III
    /// medical devices and publications need their licence; 仅销售预包装食品 a 备案 (or a food
    /// licence, which covers it), class II devices a 备案 (or the class III licence [ours]);
    /// 食用农产品, class I devices and cosmetics retail need nothing (食品安全法 art. 35; only
    /// cosmetics production is licensed).
    public static let standard = VerificationPolicy(
        reverificationMonths: 6, smallScaleTurnoverLimitFen: 100_000 * 100, registryChangeGraceDays: 15,
        licenceExpiringWithinDays: 30, annualReportDeadlineMonth: 6, annualReportDeadlineDay: 30,
        licenceRequired: [.food: [.foodBusiness], .prepackagedFood: [.prepackagedFoodFiling, .foodBusiness],
                          .drug: [.drugBusiness], .medicalDevice: [.medicalDevice],
                          .medicalDeviceII: [.medicalDeviceFiling, .medicalDevice], .publication: [.publication]])

    /// The categories of `m` that need a licence or 备案, each with the types that meet it, in
    /// the order the merchant listed them.
    public func requirements(of m: MerchantRecord) -> [(category: MerchantCategory, accepted: [LicenceType])] {
        m.categories.compactMap { c in licenceRequired[c].map { (c, $0) } }
    }
}

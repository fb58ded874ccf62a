/// The stable codes of qualification findings (docs/findings.md lists when each fires).
public enum FindingCode {
    public static let usccMissing = "USCC_MISSING"
    public static let usccFormat = "USCC_FORMAT"
    public static let usccOrganizationCheck = "USCC_ORGANIZATION_CHECK"
    public static let usccCheckCharacter = "USCC_CHECK_CHARACTER"
    public static let usccLegacyRegistrationNumber = "USCC_LEGACY_REGISTRATION_NUMBER"
    public static let displayedUSCCMismatch = "DISPLAYED_USCC_MISMATCH"
    public static let displayedNameMismatch = "DISPLAYED_NAME_MISMATCH"
    public static let displayedAddressMismatch = "DISPLAYED_ADDRESS_MISMATCH"
    public static let licenceNotDisplayed = "LICENCE_NOT_DISPLAYED"
    public static let licenceMissing = "LICENCE_MISSING"
    public static let licenceExpired = "LICENCE_EXPIRED"
    public static let licenceNotYetValid = "LICENCE_NOT_YET_VALID"
    public static let licenceHolderMismatch = "LICENCE_HOLDER_MISMATCH"
    public static let licenceExpiringSoon = "LICENCE_EXPIRING_SOON"
    public static let licenceNumberFormat = "LICENCE_NUMBER_FORMAT"
    public static let smallScaleTurnoverOverLimit = "SMALL_SCALE_TURNOVER_OVER_LIMIT"
    public static let smallScaleLicensedCategory = "SMALL_SCALE_LICENSED_CATEGORY"
    public static let platformVerificationMissing = "PLATFORM_VERIFICATION_MISSING"
    public static let platformVerificationOverdue = "PLATFORM_VERIFICATION_OVERDUE"
    public static let registryEndedWhileActive = "REGISTRY_ENDED_WHILE_ACTIVE"
    public static let registeredNameMismatch = "REGISTERED_NAME_MISMATCH"
    public static let registeredAddressMismatch = "REGISTERED_ADDRESS_MISMATCH"
    public static let legalRepresentativeMismatch = "LEGAL_REPRESENTATIVE_MISMATCH"
    public static let registryChangeNotDisplayed = "REGISTRY_CHANGE_NOT_DISPLAYED"
    public static let abnormalList = "ABNORMAL_LIST"
    public static let seriousViolationList = "SERIOUS_VIOLATION_LIST"
    public static let annualReportMissing = "ANNUAL_REPORT_MISSING"
    public static let usccMiskeyed = "USCC_MISKEYED"
    public static let exemptionDeclarationNotDisplayed = "EXEMPTION_DECLARATION_NOT_DISPLAYED"

    public static let all = [
        usccMissing, usccFormat, usccOrganizationCheck, usccCheckCharacter, usccLegacyRegistrationNumber,
        displayedUSCCMismatch, displayedNameMismatch, displayedAddressMismatch, licenceNotDisplayed,
        licenceMissing, licenceExpired, licenceNotYetValid, licenceHolderMismatch, licenceExpiringSoon,
        licenceNumberFormat, smallScaleTurnoverOverLimit, smallScaleLicensedCategory,
        platformVerificationMissing, platformVerificationOverdue, registryEndedWhileActive,
        registeredNameMismatch, registeredAddressMismatch, legalRepresentativeMismatch,
        registryChangeNotDisplayed, abnormalList, seriousViolationList, annualReportMissing,
        // Appended (issue 13): a code's index is its bit in the policy's finding masks.
        usccMiskeyed, exemptionDeclarationNotDisplayed,
    ]
}

/// Legal bases named in findings.
enum LegalBasis {
    static let art10 = "《电子商务法》第十条"
    static let art12 = "《电子商务法》第十二条"
    /// What a category needs: a licence, or for 仅销售预包装食品 and class II devices a 备案.
    static let licensing = "《电子商务法》第十二条；《食品安全法》第三十五条；《医疗器械监督管理条例》"
    static let art15 = "《电子商务法》第十五条"
    static let art15and27 = "《电子商务法》第十五条、第二十七条；GB 32100-2015"
    static let art27 = "《电子商务法》第二十七条"
    static let exemptDisplay = "《电子商务法》第十五条；《网络交易监督管理办法》第十二条"
    static let registrationRules64 = "《市场主体登记管理条例实施细则》第六十四条"
    static let registration = "《市场主体登记管理条例》"
    static let disclosure17 = "《企业信息公示暂行条例》第十七条"
    static let disclosure8 = "《企业信息公示暂行条例》第八条"
    static let individualAnnualReport = "《市场主体登记管理条例实施细则》第六十三条；《个体工商户年度报告暂行办法》"
    static let seriousList = "《市场监督管理严重违法失信名单管理办法》（市场监管总局令第44号）"
}

import SandboxCore

/// A person's name as indices into the vocabulary: 1 surname + 1 or 2 given characters.
struct PersonNamePlan {
    var surname: Int
    var given1: Int
    /// -1: a one-character given name from `givenSingle`.
    var given2: Int
}

/// An address in a region as indices: road, house number and an optional building/floor/room part.
struct AddressPlan {
    var region: Int
    var road: Int
    var number: Int
    /// 0 plain, 1 栋/单元/楼/号, 2 层/号, 3 附N号.
    var form: Int
    var building: Int
    var floor: Int
    var room: Int
    /// An ASCII comma before the 附 part, as pasted from a spreadsheet (forces CSV quoting).
    var asciiComma: Bool
}

/// A registered name (经营者名称) as indices: form, 字号 (two characters), industry word, suffix.
struct EntityNamePlan {
    /// 0 成都…有限公司, 1 四川…有限公司, 2 成都市<区>…有限公司, 3 四川省…有限责任公司, 4 成都…有限责任公司,
    /// 5 成都市<区>…<suffix>, 6 <区>…<suffix>.
    var form: Int
    var trade1: Int
    var trade2: Int
    var industry: Int
    var suffix: Int
}

/// One registered entity (or natural person): everything the registry knows about it.
struct EntityPlan {
    var index: Int
    var type: EntityType
    /// The vocabulary of its names (字号 + 行业, products).
    var category: CategoryIndex
    /// What the export lists as 经营类目 (one or more; issue 13 correction 3).
    var categories: [MerchantCategory]
    var region: Int
    var name: EntityNamePlan
    var person: PersonNamePlan
    var address: AddressPlan
    /// Old-style all-digit organization code (converted pre-2015 enterprises) or `MA6…` (new).
    var numericOrganizationCode: Bool
    var established: Int
    var status: RegistrationStatus
    var changedAt: Int?
    var changedName: EntityNamePlan?
    var changedAddress: AddressPlan?
    var changedPerson: PersonNamePlan?
    var abnormal: Bool
    var seriousViolation: Bool
    var lastAnnualReportYear: Int?
    /// Wound down in the registry (注销) with its storefronts closed: consistent, not a problem.
    var woundDown: Bool
    var problems: GeneratedProblems

    var hasUSCC: Bool { type != .naturalPerson }
}

/// One licence row as it will be written.
struct LicencePlan {
    var type: LicenceType
    /// A 备案 (第二类医疗器械经营备案 or 仅销售预包装食品备案: no expiry) rather than a licence.
    var filing: Bool
    var serial: Int
    var validFrom: Int
    var validTo: Int?
    /// Held by another name (a different entity's name plan).
    var foreignHolder: EntityNamePlan?
}

/// One storefront row and its licences.
struct StorefrontPlan {
    var index: Int
    var entity: EntityPlan
    /// The entity's second storefront on this platform: it shares the USCC, and the registry row
    /// is written once, with the first storefront.
    var secondShop: Bool
    var shopForm: Int
    var shopTrade1: Int
    var shopTrade2: Int
    var shopProduct: Int
    var shopSurname: Int
    /// ASCII quotes inside the shop name (forces CSV quoting).
    var shopQuoted: Bool
    var status: StorefrontStatus
    var openedAt: Int
    var verifiedAt: Int
    var complaints: Int
    var turnoverFen: Int64?
    var smallScale: Bool
    /// 0: the USCC as registered; 1…30: added to the check character's value (mod 31).
    var usccCorruption: Int
    var licenceDisplayed: Bool
    var displayedName: EntityNamePlan?
    var displayedAddress: AddressPlan?
    /// 0 same as the USCC, 1 old 15-digit registration number, 2 two characters transposed.
    var displayedUSCCForm: Int
    var licence: LicencePlan?
    var previousLicence: LicencePlan?
    /// 仅销售预包装食品备案 of a shop that also lists prepackaged food.
    var prepackagedFiling: LicencePlan?
    var problems: GeneratedProblems
}

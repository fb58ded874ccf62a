// Typed records, one per export kind (EXPORT-FORMAT.md v1). Optional fields are nil when the
// export left them empty. Money is kept in fen (分) as an integer so that equality and hashing
// are exact.

/// One storefront of a merchant on the platform (merchants-*).
public struct MerchantRecord: Hashable, Sendable, Codable {
    public var platformMerchantID: String
    public var shopName: String
    public var entityType: EntityType
    public var uscc: String?
    public var registeredName: String?
    public var legalRepresentative: String?
    public var registeredAddress: String?
    public var displayedName: String?
    public var displayedUSCC: String?
    public var displayedAddress: String?
    public var licenceDisplayed: Bool?
    /// 经营类目, as listed (`food;general`): at least one, no repeats. Each is judged on its own
    /// (a licence for food does not make drugs lawful).
    public var categories: [MerchantCategory]
    public var smallScaleDeclared: Bool?
    /// 年交易额 in fen (1 CNY = 100 fen).
    public var annualTurnoverFen: Int64?
    public var verifiedAt: CivilDate?
    public var openedAt: CivilDate?
    public var status: StorefrontStatus?
    public var complaints90d: Int?
    public var regionCode: String?

    public init(platformMerchantID: String, shopName: String, entityType: EntityType, uscc: String? = nil,
                registeredName: String? = nil, legalRepresentative: String? = nil,
                registeredAddress: String? = nil, displayedName: String? = nil, displayedUSCC: String? = nil,
                displayedAddress: String? = nil, licenceDisplayed: Bool? = nil, categories: [MerchantCategory],
                smallScaleDeclared: Bool? = nil, annualTurnoverFen: Int64? = nil, verifiedAt: CivilDate? = nil,
                openedAt: CivilDate? = nil, status: StorefrontStatus? = nil, complaints90d: Int? = nil,
                regionCode: String? = nil) {
        self.platformMerchantID = platformMerchantID; self.shopName = shopName; self.entityType = entityType
        self.uscc = uscc; self.registeredName = registeredName; self.legalRepresentative = legalRepresentative
        self.registeredAddress = registeredAddress; self.displayedName = displayedName
        self.displayedUSCC = displayedUSCC; self.displayedAddress = displayedAddress
        self.licenceDisplayed = licenceDisplayed; self.categories = categories
        self.smallScaleDeclared = smallScaleDeclared; self.annualTurnoverFen = annualTurnoverFen
        self.verifiedAt = verifiedAt; self.openedAt = openedAt; self.status = status
        self.complaints90d = complaints90d; self.regionCode = regionCode
    }
}

/// One licence held by a merchant (licences-*). Key: (platformMerchantID, licenceType, licenceNo).
public struct LicenceRecord: Hashable, Sendable, Codable {
    public var platformMerchantID: String
    public var licenceType: LicenceType
    public var licenceNo: String
    public var holderName: String?
    public var validFrom: CivilDate?
    public var validTo: CivilDate?
    public var issuer: String?

    public init(platformMerchantID: String, licenceType: LicenceType, licenceNo: String, holderName: String? = nil,
                validFrom: CivilDate? = nil, validTo: CivilDate? = nil, issuer: String? = nil) {
        self.platformMerchantID = platformMerchantID; self.licenceType = licenceType; self.licenceNo = licenceNo
        self.holderName = holderName; self.validFrom = validFrom; self.validTo = validTo; self.issuer = issuer
    }
}

/// A complaint, violation, penalty, recall or dispute (events-*). Key: eventID.
public struct EventRecord: Hashable, Sendable, Codable {
    public var eventID: String
    public var platformMerchantID: String
    public var eventType: EventType
    /// Unix seconds (Asia/Shanghai when the export gave no zone).
    public var occurredAt: Int64
    public var severity: EventSeverity?
    public var description: String?

    public init(eventID: String, platformMerchantID: String, eventType: EventType, occurredAt: Int64,
                severity: EventSeverity? = nil, description: String? = nil) {
        self.eventID = eventID; self.platformMerchantID = platformMerchantID; self.eventType = eventType
        self.occurredAt = occurredAt; self.severity = severity; self.description = description
    }
}

/// The platform's answer to an instruction (receipts-*). Key: receiptID.
public struct ReceiptRecord: Hashable, Sendable, Codable {
    public var receiptID: String
    public var instructionID: String
    public var platformMerchantID: String
    public var action: ReceiptAction
    /// Unix seconds.
    public var at: Int64
    public var note: String?

    public init(receiptID: String, instructionID: String, platformMerchantID: String, action: ReceiptAction,
                at: Int64, note: String? = nil) {
        self.receiptID = receiptID; self.instructionID = instructionID
        self.platformMerchantID = platformMerchantID; self.action = action; self.at = at; self.note = note
    }
}

/// The registry's entry for one entity (registry-*). Key: uscc.
public struct RegistryRecord: Hashable, Sendable, Codable {
    public var uscc: String
    public var name: String
    public var legalRepresentative: String?
    public var address: String?
    public var registrationStatus: RegistrationStatus?
    public var changedAt: CivilDate?
    public var abnormalList: Bool?
    public var seriousViolationList: Bool?
    public var lastAnnualReportYear: Int?

    public init(uscc: String, name: String, legalRepresentative: String? = nil, address: String? = nil,
                registrationStatus: RegistrationStatus? = nil, changedAt: CivilDate? = nil,
                abnormalList: Bool? = nil, seriousViolationList: Bool? = nil, lastAnnualReportYear: Int? = nil) {
        self.uscc = uscc; self.name = name; self.legalRepresentative = legalRepresentative
        self.address = address; self.registrationStatus = registrationStatus; self.changedAt = changedAt
        self.abnormalList = abnormalList; self.seriousViolationList = seriousViolationList
        self.lastAnnualReportYear = lastAnnualReportYear
    }
}

/// Any record an export can carry.
public enum ExportRecord: Hashable, Sendable {
    case merchant(MerchantRecord)
    case licence(LicenceRecord)
    case event(EventRecord)
    case receipt(ReceiptRecord)
    case registry(RegistryRecord)
}

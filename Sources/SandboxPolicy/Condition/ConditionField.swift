import SandboxCore

/// Every name a condition can read (docs/policy.md §3.2), with its type and the stage from which
/// it is visible (§3.8). Names are resolved against this list when a pack loads, so a pack can
/// reach nothing else.
public enum ConditionField: String, Hashable, Sendable, CaseIterable {
    // merchants-*
    case merchantID = "merchant.platform_merchant_id", shopName = "merchant.shop_name", uscc = "merchant.uscc",
         registeredName = "merchant.registered_name", legalRepresentative = "merchant.legal_representative",
         registeredAddress = "merchant.registered_address", displayedName = "merchant.displayed_name",
         displayedUSCC = "merchant.displayed_uscc", displayedAddress = "merchant.displayed_address",
         regionCode = "merchant.region_code"
    case entityType = "merchant.entity_type", status = "merchant.status"
    case licenceDisplayed = "merchant.licence_displayed", smallScaleDeclared = "merchant.small_scale_declared"
    case annualTurnover = "merchant.annual_turnover_cny", complaints90d = "merchant.complaints_90d"
    case verifiedAt = "merchant.verified_at", openedAt = "merchant.opened_at"
    /// Derived by the pass from merchant.uscc and `[roster.regulator] local_divisions`
    /// (LocalRegistration, the regulator's own rule); unknown without a USCC.
    case registeredLocally = "merchant.registered_locally"
    // the registry entry of merchant.uscc
    case registryName = "registry.name", registryLegalRepresentative = "registry.legal_representative",
         registryAddress = "registry.address"
    case registrationStatus = "registry.registration_status", registryChangedAt = "registry.changed_at"
    case abnormalList = "registry.abnormal_list", seriousViolationList = "registry.serious_violation_list"
    case lastAnnualReportYear = "registry.last_annual_report_year"
    // current findings
    case findingsCount = "findings.count", findingsMinor = "findings.minor", findingsGeneral = "findings.general",
         findingsSerious = "findings.serious"
    // decided by the pass itself
    case riskClass = "risk.class", riskPoints = "risk.points"
    case casesOpen = "cases.open", casesOpenSerious = "cases.open_serious", casesOverdue = "cases.overdue",
         casesSuspended = "cases.suspended"
    case rosterMember = "roster.member", rosterMemberSince = "roster.member_since"
    case caseOpenedOn = "case.opened_on", caseDeadline = "case.deadline", caseRule = "case.rule",
         caseSeverity = "case.severity"

    public var type: ValueType {
        switch self {
        case .merchantID, .shopName, .uscc, .registeredName, .legalRepresentative, .registeredAddress,
             .displayedName, .displayedUSCC, .displayedAddress, .regionCode, .registryName,
             .registryLegalRepresentative, .registryAddress, .caseRule:
            .text
        case .entityType: .coded(.entityType)
        case .status: .coded(.status)
        case .registrationStatus: .coded(.registrationStatus)
        case .riskClass: .coded(.riskClass)
        case .caseSeverity: .coded(.severity)
        case .licenceDisplayed, .smallScaleDeclared, .abnormalList, .seriousViolationList, .casesSuspended,
             .rosterMember, .registeredLocally:
            .bool
        case .annualTurnover, .complaints90d, .lastAnnualReportYear, .findingsCount, .findingsMinor,
             .findingsGeneral, .findingsSerious, .riskPoints, .casesOpen, .casesOpenSerious, .casesOverdue:
            .number
        case .verifiedAt, .openedAt, .registryChangedAt, .rosterMemberSince, .caseOpenedOn, .caseDeadline:
            .date
        }
    }

    /// The first stage that may read the field (1 indicators, 2 triggers, 3 roster, 4 prompts,
    /// 5 determination).
    public var stage: Int {
        switch self {
        case .riskClass, .riskPoints: 2
        case .casesOpen, .casesOpenSerious, .casesOverdue, .casesSuspended: 3
        case .rosterMember, .rosterMemberSince: 4
        case .caseOpenedOn, .caseDeadline, .caseRule, .caseSeverity: 5
        default: 1
        }
    }

    /// Never unknown (counts and the pass's own decisions).
    public var alwaysKnown: Bool {
        switch self {
        case .findingsCount, .findingsMinor, .findingsGeneral, .findingsSerious, .casesOpen, .casesOpenSerious,
             .casesOverdue, .casesSuspended, .rosterMember:
            true
        default: false
        }
    }

    /// The name's first part (`merchant`, `registry`, …): the source an evidence item names.
    public var prefix: String { Self.prefixes[self]! }

    private static let prefixes = Dictionary(uniqueKeysWithValues: allCases.map { f in
        (f, String(f.rawValue.prefix(while: { $0 != "." })))
    })

    /// Hashed by its case. A raw-value enum's own hashing hashes its raw value, a string of up to
    /// 40 bytes: the pass's facts are a dictionary by field, and looking columns up hashed their
    /// names, 2–3 % of the engine thread's instructions in a first pass (issue 16, session 40).
    /// Equality is already the case's (the compiler compares the cases' tags).
    public func hash(into hasher: inout Hasher) { hasher.combine(caseTag(self)) }
}

/// The tag of a case of an enum without payloads of fewer than 256 cases: its one byte.
@inline(__always)
func caseTag<E: RawRepresentable>(_ value: E) -> UInt8 {
    assert(MemoryLayout<E>.size == 1, "\(E.self) is not one byte")
    return withUnsafeBytes(of: value) { $0[0] }
}

/// Fields of the elements counted by `count(events …)` / `count(licences …)` and of event triggers.
public enum ElementField: String, Hashable, Sendable, CaseIterable {
    case eventID = "event_id", description, eventType = "event_type", severity, occurredAt = "occurred_at"
    case licenceType = "licence_type", licenceNo = "licence_no", holderName = "holder_name", issuer,
         validFrom = "valid_from", validTo = "valid_to"

    /// Hashed by its case, as `ConditionField`.
    public func hash(into hasher: inout Hasher) { hasher.combine(caseTag(self)) }

    public var collection: ElementCollection {
        switch self {
        case .eventID, .description, .eventType, .severity, .occurredAt: .events
        default: .licences
        }
    }

    public var type: ValueType {
        switch self {
        case .eventID, .description, .licenceNo, .holderName, .issuer: .text
        case .eventType: .coded(.eventType)
        case .severity: .coded(.severity)
        case .licenceType: .coded(.licenceType)
        case .occurredAt, .validFrom, .validTo: .date
        }
    }
}

public enum ElementCollection: String, Hashable, Sendable { case events, licences }

/// Checks one storefront's qualifications (DOMAIN.md §1–§3, §7) and returns its findings.
///
/// Pure: the licences and registry entry are looked up by the caller, and `today` is passed in.
/// Absent data never raises a mismatch: only values the export or registry actually gave are
/// compared. Each code appears at most once; the result is sorted by code.
public struct QualificationVerifier: Sendable {
    public let policy: VerificationPolicy

    public init(policy: VerificationPolicy = .standard) { self.policy = policy }

    /// `summedTurnover`: the regulator's sum over the person's shops on every platform, when it
    /// sent one (a registration-exempt merchant only).
    public func verify(merchant: MerchantRecord, licences: [LicenceRecord], registry: RegistryRecord?,
                       today: CivilDate, summedTurnover: SummedTurnover? = nil) -> [Finding] {
        var out: [Finding] = []
        identity(merchant, registry, into: &out)
        display(merchant, registry, into: &out)
        licencing(merchant, licences, registry, today, into: &out)
        smallScale(merchant, summedTurnover, into: &out)
        platformVerification(merchant, today, into: &out)
        if let registry { registryChecks(merchant, registry, today, into: &out) }
        return out.sorted { $0.code < $1.code }
    }

    /// A natural person trading small amounts under the art. 10 exemption needs no registration.
    func isExemptFromRegistration(_ m: MerchantRecord) -> Bool {
        m.entityType == .naturalPerson && m.smallScaleDeclared == true
    }

    /// A closed storefront shows nothing, so display duties no longer apply to it.
    func isShowing(_ m: MerchantRecord) -> Bool { m.status != .closed }

    // MARK: identity (RL-03)

    func identity(_ m: MerchantRecord, _ registry: RegistryRecord?, into out: inout [Finding]) {
        guard let uscc = m.uscc else {
            if !isExemptFromRegistration(m) {
                out.append(Finding(code: FindingCode.usccMissing, severity: .general,
                    message: "未提供统一社会信用代码：主体类型为\(m.entityType.chineseNames[0])"
                        + (m.smallScaleDeclared == true ? "" : "且未作小额零星声明") + "，应登记并公示营业执照信息",
                    evidence: [Evidence(field: "uscc", expected: "18位统一社会信用代码", found: nil)],
                    basis: LegalBasis.art10 + "、第十五条"))
            }
            return
        }
        switch USCC.check(uscc) {
        case .valid: break
        case .legacyRegistrationNumber:
            out.append(Finding(code: FindingCode.usccLegacyRegistrationNumber, severity: .minor,
                message: "\(uscc)为15位旧注册号，不是统一社会信用代码，平台应重新核验并更新为换发后的18位代码",
                evidence: [Evidence(field: "uscc", expected: "18位统一社会信用代码", found: uscc)],
                basis: LegalBasis.art27))
        case .invalid(let problem):
            switch problem {
            case .length(let n):
                out.append(Finding(code: FindingCode.usccFormat, severity: .general,
                    message: "统一社会信用代码\(uscc)应为18位，实为\(n)位",
                    evidence: [Evidence(field: "uscc", expected: "18位", found: uscc)], basis: LegalBasis.art15and27))
            case .character(let position, let found):
                out.append(Finding(code: FindingCode.usccFormat, severity: .general,
                    message: "统一社会信用代码\(uscc)第\(position)位字符\(found)不在代码字符集内（不使用I、O、S、V、Z）",
                    evidence: [Evidence(field: "uscc", expected: "0-9及除I、O、S、V、Z外的大写字母", found: uscc)],
                    basis: LegalBasis.art15and27))
            case .organizationCheck(let expected, let found):
                out.append(Finding(code: FindingCode.usccOrganizationCheck, severity: .general,
                    message: "统一社会信用代码\(uscc)第17位（组织机构代码校验位）应为\(expected)，实为\(found)",
                    evidence: [Evidence(field: "uscc", expected: String(expected), found: String(found))],
                    basis: LegalBasis.art15and27))
            case .checkCharacter(let expected, let found) where isMiskeyed(m, registry):
                // The registry holds the code with the right check character: the platform keyed
                // it wrong, and correcting its file is the platform's duty (art. 27), not the
                // merchant's (issue 13 correction 8).
                out.append(Finding(code: FindingCode.usccMiskeyed, severity: .minor,
                    message: "平台报送的统一社会信用代码\(uscc)校验位应为\(expected)，实为\(found)；登记机关登记的代码为"
                        + "\(registry!.uscc)，系平台录入错误，平台应更正其核验档案",
                    evidence: [Evidence(field: "uscc", expected: registry!.uscc, found: uscc)], basis: LegalBasis.art27))
            case .checkCharacter(let expected, let found):
                out.append(Finding(code: FindingCode.usccCheckCharacter, severity: .general,
                    message: "统一社会信用代码\(uscc)校验位应为\(expected)，实为\(found)",
                    evidence: [Evidence(field: "uscc", expected: String(expected), found: String(found))],
                    basis: LegalBasis.art15and27))
            }
        }
    }

    /// The exported code's check character is wrong and the registry entry found under the
    /// corrected code (USCC.registryKeys) is the entity's.
    func isMiskeyed(_ m: MerchantRecord, _ registry: RegistryRecord?) -> Bool {
        guard let uscc = m.uscc, let registry, registry.uscc != uscc else { return false }
        return USCC.registryKeys(uscc).contains(registry.uscc)
    }

    /// A finding when both values are given and differ (a missing value is never a difference).
    func mismatch(_ code: String, _ severity: FindingSeverity, field: String, expected: String?, found: String?,
                  basis: String, message: (_ found: String, _ expected: String) -> String) -> Finding? {
        guard ComparableText.differ(found, expected), let found, let expected else { return nil }
        return Finding(code: code, severity: severity, message: message(found, expected),
                       evidence: [Evidence(field: field, expected: expected, found: found)], basis: basis)
    }

    // MARK: display (RL-02, RL-03)

    func display(_ m: MerchantRecord, _ registry: RegistryRecord?, into out: inout [Finding]) {
        guard isShowing(m) else { return }
        // With the platform's code keyed wrong, a storefront showing the registry's code is right,
        // and one showing the platform's wrong code shows the platform's error (its licence page
        // is rendered from its file): only a third code is the merchant's display.
        let miskeyed = isMiskeyed(m, registry)
        let shownPlatformsCode = miskeyed && !ComparableText.differ(m.displayedUSCC, m.uscc)
        out.append(contentsOf: [
            shownPlatformsCode ? nil : mismatch(FindingCode.displayedUSCCMismatch, .general, field: "displayed_uscc",
                     expected: miskeyed ? registry?.uscc : m.uscc, found: m.displayedUSCC, basis: LegalBasis.art15) {
                "店铺公示的统一社会信用代码\($0)与登记的\($1)不一致" },
            mismatch(FindingCode.displayedNameMismatch, .minor, field: "displayed_name",
                     expected: m.registeredName, found: m.displayedName, basis: LegalBasis.art15) {
                "店铺公示名称“\($0)”与经营者名称“\($1)”不一致" },
            mismatch(FindingCode.displayedAddressMismatch, .minor, field: "displayed_address",
                     expected: m.registeredAddress, found: m.displayedAddress, basis: LegalBasis.art15) {
                "店铺公示住所“\($0)”与登记住所“\($1)”不一致" },
        ].compactMap { $0 })
        // Only an explicit "no" counts: an export without the column says nothing about display.
        if isExemptFromRegistration(m) {
            exemptDisplay(m, into: &out)
        } else if m.licenceDisplayed == false {
            out.append(Finding(code: FindingCode.licenceNotDisplayed, severity: .minor,
                message: "店铺“\(m.shopName)”首页未公示营业执照信息（是否亮照：否）",
                evidence: [Evidence(field: "licence_displayed", expected: "是", found: "否")],
                basis: LegalBasis.art15))
        }
    }

    /// Exempt from registration is not exempt from display (电子商务法 art. 15; 网络交易监督管理办法
    /// art. 12): the homepage shows a self-declaration of the exemption with the real address and
    /// contact — what 是否亮照 reports for a merchant that has no licence to show. Only an explicit
    /// "no" counts, as for licences; the export has no separate address or contact flag.
    func exemptDisplay(_ m: MerchantRecord, into out: inout [Finding]) {
        guard m.licenceDisplayed == false else { return }
        out.append(Finding(code: FindingCode.exemptionDeclarationNotDisplayed, severity: .minor,
            message: "店铺“\(m.shopName)”依法免于登记，但首页未持续公示免于登记的自我声明及实际经营地址、联系方式（是否亮照：否）",
            evidence: [Evidence(field: "licence_displayed", expected: "是（自我声明、实际经营地址、联系方式）", found: "否")],
            basis: LegalBasis.exemptDisplay))
    }

    // MARK: small scale (RL-08)

    func smallScale(_ m: MerchantRecord, _ summed: SummedTurnover?, into out: inout [Finding]) {
        guard m.smallScaleDeclared == true else { return }
        // The limit applies across all of a merchant's shops (网络交易监督管理办法 art. 8): the
        // regulator's sum over every platform when it sent one, else this shop's own turnover.
        if let summed, summed.totalFen > policy.smallScaleTurnoverLimitFen {
            out.append(Finding(code: FindingCode.smallScaleTurnoverOverLimit, severity: .general,
                message: "已作小额零星声明，但其在各平台的\(summed.shops)家店铺年交易额合计\(Yuan.text(summed.totalFen))元"
                    + "超过\(Yuan.text(policy.smallScaleTurnoverLimitFen))元（监管部门跨平台汇总），应办理市场主体登记",
                evidence: [Evidence(field: "annual_turnover_cny（各平台合计）", expected: "≤ \(Yuan.text(policy.smallScaleTurnoverLimitFen))",
                                    found: "\(Yuan.text(summed.totalFen))（\(summed.shops)家店铺）")],
                basis: LegalBasis.art10 + "；《网络交易监督管理办法》第八条"))
        } else if let t = m.annualTurnoverFen, t > policy.smallScaleTurnoverLimitFen {
            out.append(Finding(code: FindingCode.smallScaleTurnoverOverLimit, severity: .general,
                message: "已作小额零星声明，但年交易额\(Yuan.text(t))元超过\(Yuan.text(policy.smallScaleTurnoverLimitFen))元，应办理市场主体登记",
                evidence: [Evidence(field: "annual_turnover_cny", expected: "≤ \(Yuan.text(policy.smallScaleTurnoverLimitFen))",
                                    found: Yuan.text(t))],
                basis: LegalBasis.art10))
        }
        let needing = policy.requirements(of: m)
        if !needing.isEmpty {
            let names = needing.map { "“\($0.category.chineseNames[0])”须取得\($0.accepted[0].chineseNames[0])" }
            out.append(Finding(code: FindingCode.smallScaleLicensedCategory, severity: .general,
                message: "已作小额零星声明，但经营类目" + names.joined(separator: "、") + "，不适用小额零星豁免",
                evidence: needing.map { Evidence(field: "category", expected: "无需许可或备案的类目", found: $0.category.rawValue) },
                basis: LegalBasis.art10))
        }
    }

    // MARK: platform verification (RL-09)

    func platformVerification(_ m: MerchantRecord, _ today: CivilDate, into out: inout [Finding]) {
        guard let at = m.verifiedAt else {
            out.append(Finding(code: FindingCode.platformVerificationMissing, severity: .minor,
                message: "平台未提供对店铺“\(m.shopName)”的核验日期，应至少每\(policy.reverificationMonths)个月核验一次",
                evidence: [Evidence(field: "verified_at", expected: "核验日期", found: nil)], basis: LegalBasis.art27))
            return
        }
        let due = at.adding(months: policy.reverificationMonths)
        if today > due {
            out.append(Finding(code: FindingCode.platformVerificationOverdue, severity: .minor,
                message: "平台最近核验日期为\(at)，超过\(policy.reverificationMonths)个月（应于\(due)前复核）",
                evidence: [Evidence(field: "verified_at", expected: "\(due)前复核", found: at.description)],
                basis: LegalBasis.art27))
        }
    }
}

/// Fen as `1,234,567.5`-free plain yuan text for messages: `150000` or `150000.05`.
public enum Yuan {
    public static func text(_ fen: Int64) -> String {
        let yuan = fen / 100, cents = fen % 100
        if cents == 0 { return String(yuan) }
        return "\(yuan)." + (cents < 10 ? "0\(cents)" : String(cents))
    }
}

extension QualificationVerifier {
    /// RL-01, RL-05, RL-06, RL-07, RL-10 and the platform's file against the registry (art. 27).
    func registryChecks(_ m: MerchantRecord, _ g: RegistryRecord, _ today: CivilDate, into out: inout [Finding]) {
        if let status = g.registrationStatus, status.endsTrading, m.status == nil || m.status == .active {
            // An export row without a status is a storefront the platform still lists: treated as active.
            out.append(Finding(code: FindingCode.registryEndedWhileActive, severity: .serious,
                message: "登记状态为\(status.chineseNames[0])，店铺“\(m.shopName)”仍在营业",
                evidence: [Evidence(field: "registration_status", expected: "存续/在业", found: status.chineseNames[0]),
                           Evidence(field: "status", expected: "suspended/closed", found: m.status?.rawValue ?? "active")],
                basis: LegalBasis.registration))
        }
        out.append(contentsOf: [
            mismatch(FindingCode.registeredNameMismatch, .minor, field: "registered_name",
                     expected: g.name, found: m.registeredName, basis: LegalBasis.art27) {
                "平台核验的经营者名称“\($0)”与登记名称“\($1)”不一致" },
            mismatch(FindingCode.registeredAddressMismatch, .minor, field: "registered_address",
                     expected: g.address, found: m.registeredAddress, basis: LegalBasis.art27) {
                "平台核验的住所“\($0)”与登记住所“\($1)”不一致" },
            mismatch(FindingCode.legalRepresentativeMismatch, .minor, field: "legal_representative",
                     expected: g.legalRepresentative, found: m.legalRepresentative, basis: LegalBasis.art27) {
                "平台核验的法定代表人“\($0)”与登记的“\($1)”不一致" },
        ].compactMap { $0 })
        changeNotDisplayed(m, g, today, into: &out)
        if g.abnormalList == true {
            // A 个体工商户 is not listed but 标记为经营异常状态 (its own rules; issue 13 correction 6).
            let individual = m.entityType == .individualBusiness
            out.append(Finding(code: FindingCode.abnormalList, severity: .general,
                message: "\(g.name)（\(g.uscc)）" + (individual ? "被标记为经营异常状态" : "被列入经营异常名录"),
                evidence: [Evidence(field: "abnormal_list", expected: "否", found: "是")],
                basis: individual ? LegalBasis.individualAnnualReport : LegalBasis.disclosure17))
        }
        if g.seriousViolationList == true {
            out.append(Finding(code: FindingCode.seriousViolationList, severity: .serious,
                message: "\(g.name)（\(g.uscc)）被列入严重违法失信名单",
                evidence: [Evidence(field: "serious_violation_list", expected: "否", found: "是")],
                basis: LegalBasis.seriousList))
        }
        annualReport(m, g, today, into: &out)
    }

    /// RL-01: the registry changed more than the grace period ago and what the storefront shows
    /// still differs from it. Legal representative has no displayed column; the platform's
    /// `legal_representative` is what its licence-information page shows.
    func changeNotDisplayed(_ m: MerchantRecord, _ g: RegistryRecord, _ today: CivilDate, into out: inout [Finding]) {
        guard isShowing(m), let changed = g.changedAt else { return }
        let deadline = changed.adding(days: policy.registryChangeGraceDays)
        guard today > deadline else { return }
        var evidence: [Evidence] = []
        if ComparableText.differ(m.displayedName, g.name) {
            evidence.append(Evidence(field: "displayed_name", expected: g.name, found: m.displayedName))
        }
        if ComparableText.differ(m.displayedAddress, g.address) {
            evidence.append(Evidence(field: "displayed_address", expected: g.address, found: m.displayedAddress))
        }
        // The platform's own miskeyed code on the storefront is its error (USCC_MISKEYED), not a
        // change the merchant failed to display.
        if ComparableText.differ(m.displayedUSCC, g.uscc), !(isMiskeyed(m, g) && !ComparableText.differ(m.displayedUSCC, m.uscc)) {
            evidence.append(Evidence(field: "displayed_uscc", expected: g.uscc, found: m.displayedUSCC))
        }
        if ComparableText.differ(m.legalRepresentative, g.legalRepresentative) {
            evidence.append(Evidence(field: "legal_representative", expected: g.legalRepresentative, found: m.legalRepresentative))
        }
        guard !evidence.isEmpty else { return }
        let labels = ["displayed_name": "公示名称", "displayed_address": "公示住所",
                      "displayed_uscc": "公示统一社会信用代码", "legal_representative": "法定代表人"]
        let details = evidence.map { "\(labels[$0.field]!)为“\($0.found!)”，登记为“\($0.expected!)”" }
            .joined(separator: "；")
        out.append(Finding(code: FindingCode.registryChangeNotDisplayed, severity: .general,
            message: "\(changed)办理变更登记，应于\(deadline)前更新公示信息，至今未更新：\(details)",
            evidence: [Evidence(field: "changed_at", expected: nil, found: changed.description)] + evidence,
            basis: LegalBasis.registrationRules64))
    }

    /// RL-10: after the deadline, last year's report must be on file. Only when the registry says
    /// which year was reported last; an entity founded this year has nothing due (year < founding
    /// is unknown here and left to the registry, which leaves the field empty for new entities).
    /// A 个体工商户 follows its own rules (实施细则 art. 63: paper filing allowed, publicity
    /// optional; a late one is 标记为经营异常状态, not listed): same deadline, its own text and basis.
    func annualReport(_ m: MerchantRecord, _ g: RegistryRecord, _ today: CivilDate, into out: inout [Finding]) {
        guard let last = g.lastAnnualReportYear,
              let deadline = CivilDate(year: today.year, month: policy.annualReportDeadlineMonth,
                                       day: policy.annualReportDeadlineDay),
              today > deadline, last < today.year - 1 else { return }
        let individual = m.entityType == .individualBusiness
        out.append(Finding(code: FindingCode.annualReportMissing, severity: .general,
            message: "\(g.name)未报送\(today.year - 1)年度年报（最近年报年度\(last)，报送截止\(deadline)）"
                + (individual ? "；个体工商户可纸质报送，可自主选择是否公示，逾期将被标记为经营异常状态" : ""),
            evidence: [Evidence(field: "last_annual_report_year", expected: "≥ \(today.year - 1)", found: String(last))],
            basis: individual ? LegalBasis.individualAnnualReport : LegalBasis.disclosure8))
    }
}

extension QualificationVerifier {
    /// RL-04 (no valid licence or 备案 for a listed category that needs one), §6 expiring-soon
    /// prompt, §7 number shape.
    func licencing(_ m: MerchantRecord, _ licences: [LicenceRecord], _ registry: RegistryRecord?,
                   _ today: CivilDate, into out: inout [Finding]) {
        // The registry's name is authoritative; without it, the name the platform verified.
        let holder = registry?.name ?? m.registeredName
        // Each listed category that needs a licence or 备案 is judged on its own: one finding per
        // code, its evidence naming every category that fails that way.
        var missing: [Evidence] = [], expired: [Evidence] = [], notYet: [Evidence] = [], wrongHolder: [Evidence] = []
        var missingNames: [String] = [], typeNames: [String] = []
        for (category, accepted) in policy.requirements(of: m) {
            let candidates = licences.filter { accepted.contains($0.licenceType) }
            let typeName = accepted.map { $0.chineseNames[0] }.joined(separator: "或")
            if candidates.isEmpty {
                missing.append(Evidence(field: "licence_type", expected: accepted.map(\.rawValue).joined(separator: " | "),
                                        found: nil))
                missing.append(Evidence(field: "category", expected: nil, found: category.rawValue))
                missingNames.append("经营类目“\(category.chineseNames[0])”须取得\(typeName)")
                continue
            }
            guard !candidates.contains(where: { isValid($0, today, holder) }) else { continue }
            if !typeNames.contains(typeName) { typeNames.append(typeName) }
            // Messages and evidence name fixed dates only, never today: a finding changes when
            // the facts change, not every day the calendar re-verification runs.
            for l in candidates {
                if let to = l.validTo, to < today {
                    expired.append(Evidence(field: "valid_to", expected: "未过期", found: "\(l.licenceNo): \(to)"))
                }
                if let from = l.validFrom, from > today {
                    notYet.append(Evidence(field: "valid_from", expected: "已生效", found: "\(l.licenceNo): \(from)"))
                }
                if ComparableText.differ(l.holderName, holder) {
                    wrongHolder.append(Evidence(field: "holder_name", expected: holder, found: "\(l.licenceNo): \(l.holderName!)"))
                }
            }
        }
        let names = typeNames.joined(separator: "、")
        func unique(_ e: [Evidence]) -> [Evidence] { e.reduce(into: []) { if !$0.contains($1) { $0.append($1) } } }
        if !missing.isEmpty {
            out.append(Finding(code: FindingCode.licenceMissing, severity: .serious,
                message: missingNames.joined(separator: "；") + "，平台未报送", evidence: missing, basis: LegalBasis.licensing))
        }
        if !expired.isEmpty {
            out.append(Finding(code: FindingCode.licenceExpired, severity: .serious,
                message: "\(names)已过期：" + unique(expired).map { $0.found! }.joined(separator: "、"),
                evidence: unique(expired), basis: LegalBasis.licensing))
        }
        if !notYet.isEmpty {
            out.append(Finding(code: FindingCode.licenceNotYetValid, severity: .serious,
                message: "\(names)尚未生效：" + unique(notYet).map { $0.found! }.joined(separator: "、"),
                evidence: unique(notYet), basis: LegalBasis.licensing))
        }
        if !wrongHolder.isEmpty {
            out.append(Finding(code: FindingCode.licenceHolderMismatch, severity: .serious,
                message: "\(names)持证主体与经营者名称“\(holder!)”不一致："
                    + unique(wrongHolder).map { $0.found! }.joined(separator: "、"),
                evidence: unique(wrongHolder), basis: LegalBasis.licensing))
        }
        expiringSoon(licences, today, holder, into: &out)
        numberShapes(licences, into: &out)
    }

    /// In force today and held by the merchant (an absent holder name or date is not held against it).
    func isValid(_ l: LicenceRecord, _ today: CivilDate, _ holder: String?) -> Bool {
        if let to = l.validTo, to < today { return false }
        if let from = l.validFrom, from > today { return false }
        return !ComparableText.differ(l.holderName, holder)
    }

    /// A type whose latest valid licence ends within the window: a renewal prompt, not a breach.
    func expiringSoon(_ licences: [LicenceRecord], _ today: CivilDate, _ holder: String?, into out: inout [Finding]) {
        let horizon = today.adding(days: policy.licenceExpiringWithinDays)
        var evidence: [Evidence] = []
        guard !licences.isEmpty else { return }
        for type in LicenceType.allCases {
            let valid = licences.filter { $0.licenceType == type && isValid($0, today, holder) }
            // A licence without an end date does not expire; a renewed one covers the old one.
            guard !valid.isEmpty, !valid.contains(where: { $0.validTo == nil }) else { continue }
            let latest = valid.max { $0.validTo! < $1.validTo! }!
            if latest.validTo! <= horizon {
                evidence.append(Evidence(field: "valid_to", expected: "已办理延续",
                                         found: "\(latest.licenceNo): \(latest.validTo!)"))
            }
        }
        guard !evidence.isEmpty else { return }
        out.append(Finding(code: FindingCode.licenceExpiringSoon, severity: .minor,
            message: "许可证将于\(policy.licenceExpiringWithinDays)日内到期，请及时办理延续："
                + evidence.map { $0.found! }.joined(separator: "、"),
            evidence: evidence, basis: LegalBasis.art12))
    }

    /// §7: only 食品经营许可证 has a public number shape (`JY` + 14 digits); the other types'
    /// numbers vary by issuer and year, so they are not checked rather than wrongly flagged.
    func numberShapes(_ licences: [LicenceRecord], into out: inout [Finding]) {
        var evidence: [Evidence] = []
        for l in licences where l.licenceType == .foodBusiness && !LicenceNumber.isFoodBusiness(l.licenceNo) {
            evidence.append(Evidence(field: "licence_no", expected: "JY+14位数字", found: l.licenceNo))
        }
        guard !evidence.isEmpty else { return }
        out.append(Finding(code: FindingCode.licenceNumberFormat, severity: .general,
            message: "食品经营许可证编号格式不符（应为JY加14位数字）：" + evidence.map { $0.found! }.joined(separator: "、"),
            evidence: evidence, basis: LegalBasis.art12))
    }
}

/// Licence number shapes that have a public form (DOMAIN.md §7).
public enum LicenceNumber {
    /// 食品经营许可证: `JY` + 14 digits.
    public static func isFoodBusiness(_ number: String) -> Bool {
        let u = Array(number.utf8)
        return u.count == 16 && u[0] == UInt8(ascii: "J") && u[1] == UInt8(ascii: "Y")
            && u[2...].allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}

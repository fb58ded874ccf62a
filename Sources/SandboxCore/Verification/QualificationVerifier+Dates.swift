extension QualificationVerifier {
    /// The first day after `today` on which `verify` could answer otherwise for the same records;
    /// nil when no day would. Until then the findings stay what they are today, so the agent's
    /// daily re-verification passes the merchant by (issue 16: re-verifying all 469,000 merchants
    /// every day was two thirds of a steady day's run).
    ///
    /// Every comparison `verify` makes with `today` is listed here by the day its answer turns,
    /// next to nothing else: a day too early only re-verifies a merchant that did not need it; a
    /// day missed would leave a finding late. `testNextDateChangeMissesNoDayOnWhichTheFindingsChange`
    /// checks, over random records and days, that the findings are the same on every day before
    /// the one given. A comparison added to the verifier must add its day here.
    public func nextDateChange(merchant m: MerchantRecord, licences: [LicenceRecord], registry: RegistryRecord?,
                               today: CivilDate) -> CivilDate? {
        var next: CivilDate?
        func turns(on day: CivilDate?) {
            guard let day, day > today else { return }
            if next.map({ day < $0 }) ?? true { next = day }
        }
        for l in licences {
            // isValid: `validTo < today` from the day after; `validFrom > today` until the day itself.
            turns(on: l.validTo?.adding(days: 1))
            turns(on: l.validFrom)
            // expiringSoon: `validTo <= today + window` from `window` days before.
            turns(on: l.validTo?.adding(days: -policy.licenceExpiringWithinDays))
        }
        // platformVerification: `today > verifiedAt + months` from the day after.
        turns(on: m.verifiedAt?.adding(months: policy.reverificationMonths).adding(days: 1))
        if let g = registry {
            // changeNotDisplayed: `today > changedAt + grace` from the day after.
            turns(on: g.changedAt?.adding(days: policy.registryChangeGraceDays + 1))
            // annualReport: `today > this year's deadline` from the day after; the year itself
            // (which report is due) on 1 January.
            turns(on: CivilDate(year: today.year, month: policy.annualReportDeadlineMonth, day: policy.annualReportDeadlineDay)?
                .adding(days: 1))
            turns(on: CivilDate(year: today.year + 1, month: 1, day: 1))
        }
        return next
    }
}

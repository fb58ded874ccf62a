/// One seller of the city: the entity as it stood on the first day, the platforms it trades on,
/// and what happens to its registration during the year.
struct CityEnterprise: Sendable {
    var index: Int
    /// As on the first day (the base planner's entity, registered outside Chengdu for some).
    var entity: EntityPlan
    /// Indices into the city's platforms, one storefront on each.
    var platforms: [Int]
    var reports: AnnualReportCalendar
    /// A change registration (变更登记) during the year: its day and the new name, address and
    /// (sometimes) legal representative.
    var change: RegistryChange?
    /// The day a listing already in force on the first day is repaired (nil: it stays).
    var backlogListingRepaired: Int?

    struct RegistryChange: Sendable {
        var day: Int
        var name: EntityNamePlan
        var address: AddressPlan
        var person: PersonNamePlan?
    }

    /// The registry's entry on `day`: the report year filed, the abnormal flag, any change.
    func registryEntry(on day: Int) -> EntityPlan {
        var e = entity
        guard e.hasUSCC else { return e }
        e.lastAnnualReportYear = reports.lastFiledYear(on: day)
        let backlogListed = entity.abnormal && (backlogListingRepaired.map { day < $0 } ?? true)
        e.abnormal = backlogListed || reports.listed(on: day)
        if let c = change, day >= c.day {
            e.changedAt = c.day
            e.changedName = c.name
            e.changedAddress = c.address
            e.changedPerson = c.person
        }
        return e
    }
}

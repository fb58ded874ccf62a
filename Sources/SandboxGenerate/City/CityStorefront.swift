/// One storefront of the city as its platform exports it on a given day, with the registry entry
/// the platform's registry extract carries for it (nil for an unregistered natural person).
struct CityStorefront: Sendable {
    var plan: StorefrontPlan
    var registry: EntityPlan?
    /// The day it opened (it is absent from exports before) and the day it closes, if it does.
    var opened: Int
    var closes: Int?
}

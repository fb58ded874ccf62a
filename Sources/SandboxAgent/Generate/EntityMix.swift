/// Who trades: shares (per mille) of natural persons and individual businesses (个体工商户); the
/// rest are enterprises. The single-platform export keeps its historical mix (3 %, 42 %, 55 %);
/// the city draws its own (CityMix), closer to online trade's.
public struct EntityMix: Sendable, Equatable {
    public var naturalPersonPerMille: Int
    public var individualBusinessPerMille: Int

    public init(naturalPersonPerMille: Int = 30, individualBusinessPerMille: Int = 420) {
        precondition(naturalPersonPerMille >= 0 && individualBusinessPerMille >= 0
                     && naturalPersonPerMille + individualBusinessPerMille <= 1000, "shares per mille must add up to at most 1000")
        self.naturalPersonPerMille = naturalPersonPerMille
        self.individualBusinessPerMille = individualBusinessPerMille
    }
}

/// Who trades: shares (per mille) of natural persons and individual businesses (个体工商户); the
/// rest are enterprises. The single-platform export keeps its historical mix (3 %, 42 %, 55 %);
/// the city draws its own (CityMix), closer to online trade's.
public struct EntityMix: Sendable, Equatable {
    public var naturalPersonPerMille: Int
    public var individualBusinessPerMille: Int
    /// A natural person's yearly turnover under the small-scale limit (the over-limit ones are the
    /// `smallScaleOverLimit` problem): uniform over 2,000–98,000 CNY in the single-platform export
    /// (its historical draw), log-uniform over 1,000–99,999 CNY in the city (docs/generator.md).
    public var naturalPersonTurnover: NaturalPersonTurnover = .uniform

    public enum NaturalPersonTurnover: Sendable, Equatable {
        /// 2,000–98,000 CNY, every amount as likely: the mean seller near 50,000 CNY.
        case uniform
        /// 1,000–99,999 CNY, each decade as likely: median about 10,000 CNY, 28 % above 50,000.
        case logUniform
    }

    public init(naturalPersonPerMille: Int = 30, individualBusinessPerMille: Int = 420) {
        precondition(naturalPersonPerMille >= 0 && individualBusinessPerMille >= 0
                     && naturalPersonPerMille + individualBusinessPerMille <= 1000, "shares per mille must add up to at most 1000")
        self.naturalPersonPerMille = naturalPersonPerMille
        self.individualBusinessPerMille = individualBusinessPerMille
    }
}

/// A registration-exempt person's annual turnover over all its shops on every platform, as the
/// regulator summed it (网络交易监督管理办法 art. 8; the regulator's `turnover` directive). Only
/// the regulator sees every platform; the verifier judges the small-scale limit on this sum when
/// it has one, and on the storefront's own turnover otherwise.
public struct SummedTurnover: Sendable, Equatable {
    public var totalFen: Int64
    /// Shops summed, on every platform (this one's included).
    public var shops: Int
    public init(totalFen: Int64, shops: Int) { self.totalFen = totalFen; self.shops = shops }
}

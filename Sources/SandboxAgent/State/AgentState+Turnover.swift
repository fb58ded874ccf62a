import SandboxCore
import SandboxStorage

// The regulator's cross-platform turnover sums (`regulator_turnover`, state version 9).
extension AgentState {
    /// Keeps the regulator's latest sum for a storefront (`over` false: the sum no longer applies).
    func keepRegulatorTurnover(merchantID: String, summedFen: Int64, shops: Int, over: Bool, directiveID: String,
                               now: Int64) throws {
        let s = try database.prepare("""
            INSERT INTO regulator_turnover (platform_merchant_id, summed_fen, shops, over, directive_id, received_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (platform_merchant_id) DO UPDATE SET summed_fen = excluded.summed_fen, shops = excluded.shops,
                over = excluded.over, directive_id = excluded.directive_id, received_at = excluded.received_at
            """)
        defer { s.reset() }
        try s.bind(all: merchantID, summedFen, shops, over ? 1 : 0, directiveID, now)
        try s.step()
    }

    /// The sum the verifier judges `m` on: only for a merchant declaring the small-scale
    /// exemption, and only while the regulator's latest sum is over the limit.
    func summedTurnover(of m: MerchantRecord) throws -> SummedTurnover? {
        guard m.smallScaleDeclared == true else { return nil }
        let s = try database.prepare("SELECT summed_fen, shops FROM regulator_turnover WHERE platform_merchant_id = ? AND over = 1")
        defer { s.reset() }
        try s.bind(1, m.platformMerchantID)
        return try s.step() ? SummedTurnover(totalFen: s.int64(0), shops: s.int(1)) : nil
    }
}

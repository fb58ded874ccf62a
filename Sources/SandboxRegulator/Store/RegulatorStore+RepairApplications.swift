import SandboxCore
import SandboxStorage

// Credit repair applications received from the platforms (issue 12: "an application — a
// platform receipt of kind `repair_application`, or staff entry"). The merchant submits its
// 信用修复申请书 and 守信承诺书 through the platform, answering the 信用修复 prompt; the platform
// drops a receipt with action `repair_application`, its agent forwards it, and the regulator
// files it in the listing authority's queue like an application staff entered.
extension StoreSession {
    /// Files the application a `repair_application` receipt carries (in the caller's
    /// transaction): for the storefront's enterprise, on the list the receipt's note names or,
    /// without one, the list the regulator's registry has it on. Nothing when the storefront has
    /// no USCC here or an application for that list is already pending.
    func fileRepairApplication(platformID: String, _ receipt: ReceiptRecord, now: Int64) throws {
        let merchant = try database.prepare("""
            SELECT uscc, json_extract(data, '$.registered_name'), json_extract(data, '$.shop_name') FROM records
            WHERE platform_id = ?1 AND type = 'merchant' AND key = ?2
            """)
        try merchant.bind(all: platformID, receipt.platformMerchantID)
        guard try merchant.step(), let uscc = merchant.string(0) else { merchant.reset(); return }
        let applicant = merchant.string(1) ?? merchant.string(2) ?? uscc
        merchant.reset()
        let registry = try registryEntry(uscc: uscc)
        func listed(_ flag: String) -> Bool { if case .bool(true)? = registry?[flag] { return true }; return false }
        let list = RepairList.named(in: receipt.note)
            ?? (listed("abnormal_list") ? .abnormalList : listed("serious_violation_list") ? .seriousViolationList : .abnormalList)
        let pending = try database.prepare("SELECT 1 FROM repairs WHERE uscc = ?1 AND list = ?2 AND state = 'pending'")
        try pending.bind(all: uscc, list.rawValue)
        let already = try pending.step()
        pending.reset()
        guard !already else { return }
        // The platform forwards an application only with both letters (the receipt says the
        // merchant submitted them); the officer checks them in the review.
        _ = try addRepair(uscc: uscc, list: list, applicant: applicant,
                          source: "platform \(platformID) receipt \(receipt.receiptID) (\(receipt.instructionID))",
                          applicationLetter: true, commitmentLetter: true, note: receipt.note, now: now)
    }
}

import SandboxCore
import SandboxPolicy
import SandboxStorage

// What the policy pass asks of the state for the few cases it opens (`StateBox`): a finding's
// evidence, and a merchant's texts with its registry entry's.
extension AgentState {
    /// The evidence stored with `merchantID`'s finding `code` (empty: no such finding).
    func findingEvidence(merchantID: String, code: String) throws -> [Evidence] {
        let s = try database.prepare("SELECT evidence_json FROM findings WHERE platform_merchant_id = ? AND code = ?")
        defer { s.reset() }
        try s.bind(all: merchantID, code)
        guard try s.step(), let text = s.string(0) else { return [] }
        return try EvidenceJSON.decode(text, "findings.evidence_json")
    }

    /// The text fields a case's evidence may quote: the merchant's and its registry entry's.
    static let caseTextColumns: [(ConditionField, String)] = [
        (.shopName, "m.shop_name"), (.registeredName, "m.registered_name"), (.legalRepresentative, "m.legal_representative"),
        (.registeredAddress, "m.registered_address"),
        (.displayedName, DisplayedAsRegistered.valueSQL("displayed_name", table: "m")),
        (.displayedUSCC, DisplayedAsRegistered.valueSQL("displayed_uscc", table: "m")),
        (.displayedAddress, DisplayedAsRegistered.valueSQL("displayed_address", table: "m")),
        (.regionCode, "m.region_code"), (.registryName, "r.name"),
        (.registryLegalRepresentative, "r.legal_representative"), (.registryAddress, "r.address"),
    ]

    private static let caseTextsSQL = "SELECT \(caseTextColumns.map(\.1).joined(separator: ", ")) FROM merchants m "
        + "LEFT JOIN registry r ON r.uscc = m.uscc WHERE m.platform_merchant_id = ?"

    /// `merchantID`'s shop name: what an instruction line needs of the merchant's texts. Read
    /// alone, without the registry's join and the other ten texts of `caseTexts`, which a first
    /// pass's 463,000 sandbox notices, prompts and instructions read for it (issue 16, session 35).
    func shopName(merchantID: String) throws -> String? {
        let s = try database.prepare("SELECT shop_name FROM merchants WHERE platform_merchant_id = ?")
        defer { s.reset() }
        try s.bind(1, merchantID)
        return try s.step() ? s.string(0) : nil
    }

    /// `merchantID`'s text fields (those of `caseTextColumns` it has), in one read.
    func caseTexts(merchantID: String) throws -> [ConditionField: String] {
        let s = try database.prepare(Self.caseTextsSQL)
        defer { s.reset() }
        try s.bind(all: merchantID)
        var row: [ConditionField: String] = [:]
        if try s.step() {
            for (i, (f, _)) in Self.caseTextColumns.enumerated() { if let v = s.string(Int32(i)) { row[f] = v } }
        }
        return row
    }
}

import SandboxWire

/// Cases named by platform and key, as one JSON parameter (`[{"p", "c"}]`) that a statement joins
/// through SQLDialect.jsonObjects — a bulk action's rows read together, not a statement a row —
/// and the "PLATFORM/CASE" key the answers are filed under.
enum CaseKeys {
    static func json(_ cases: [(platformID: String, caseID: String)]) -> String {
        JSONValue.array(cases.map { .object(["p": .string($0.platformID), "c": .string($0.caseID)]) }).jsonText
    }

    static func key(_ platformID: String, _ caseID: String) -> String { platformID + "/" + caseID }
}

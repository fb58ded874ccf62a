import SandboxCore
import SandboxWire

/// One enterprise a draw drew, as `draw_subjects` keeps it: its place in the draw, stratum and
/// class, how it is inspected and by whom (the inspectors as the published JSON names them), and
/// — when read for a page — its result if one is recorded.
public struct DrawSubject: Sendable, Equatable {
    public var position: Int
    public var uscc: String
    public var name: String
    public var stratum: String
    public var creditClass: String?
    /// `remote` (无感/远程) or `on_site`.
    public var mode: String
    /// `[{"id", "name", "unit"}]`, as DrawReport.json publishes it.
    public var inspectors: String
    public var result: InspectionResult? = nil

    /// "name (id)；…", as the draw's page lists the inspectors.
    public var inspectorLabels: String {
        (JSONValue.parse(Array(inspectors.utf8))?.arrayValue ?? []).map { i in
            "\(i["name"]?.stringValue ?? "") (\(i["id"]?.stringValue ?? ""))"
        }.joined(separator: "；")
    }
}

/// A stored draw's head — what its page shows above the drawn list — read without its result
/// JSON or population lines.
public struct DrawHead: Sendable, Equatable {
    public var id: Int64
    public var seed: String
    public var asOf: String
    public var packVersion: String
    public var packSerial: Int64
    public var populationDigest: String
    public var populationCount: Int
    /// The division it was limited to; nil: the city.
    public var region: String?
    public var drawnCount: Int
    /// `[{"stratum", "n", "ratio_basis_points", "k"}]`.
    public var strata: JSONValue
    public var publishedAt: Int64?
    /// Results recorded so far.
    public var resultsRecorded: Int
}

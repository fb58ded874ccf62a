import SandboxCore
import SandboxPolicy
import SandboxWire

/// What an officer asked to draw, kept with its preparation (`draw_preparations.request`) so
/// that any node can make the draw again when the node preparing it stopped: the seed, the day
/// as asked (nil: the day the preparation runs), the division, and the inspectors as resolved
/// when the form was sent (an uploaded file is not kept; its inspectors are).
public struct DrawPreparationRequest: Sendable, Equatable {
    public var seed: String
    public var asOf: String?
    public var region: String?
    public var inspectors: [Inspector]

    public init(seed: String, asOf: String?, region: String?, inspectors: [Inspector]) {
        self.seed = seed; self.asOf = asOf; self.region = region; self.inspectors = inspectors
    }

    var json: String {
        func opt(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        return JSONValue.object([
            "seed": .string(seed), "as_of": opt(asOf), "region": opt(region),
            "inspectors": .array(inspectors.map {
                .object(["id": .string($0.id), "name": .string($0.name), "unit": .string($0.unit),
                         "regions": .array($0.regions.map(JSONValue.string)), "active": .bool($0.active)])
            }),
        ]).jsonText
    }

    /// The request back from its JSON; nil when the text is not one (never written by this code).
    init?(json text: String) {
        guard let v = JSONValue.parse(Array(text.utf8)), let seed = v["seed"]?.stringValue,
              let listed = v["inspectors"]?.arrayValue else { return nil }
        var inspectors: [Inspector] = []
        for i in listed {
            guard let id = i["id"]?.stringValue else { return nil }
            var active = true
            if case .bool(let b)? = i["active"] { active = b }
            inspectors.append(Inspector(id: id, name: i["name"]?.stringValue ?? id, unit: i["unit"]?.stringValue ?? "",
                                        regions: i["regions"]?.arrayValue?.compactMap(\.stringValue) ?? [], active: active))
        }
        self.init(seed: seed, asOf: v["as_of"]?.stringValue, region: v["region"]?.stringValue, inspectors: inspectors)
    }
}

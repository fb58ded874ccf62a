import Foundation
import SandboxCore
import SandboxPolicy
import SandboxWire

/// A finished draw and its three renderings (text for the operator, JSON to publish, CSV for
/// the inspection teams). The JSON is also what the `draws` table stores.
public struct DrawReport: Sendable {
    public var id: Int64
    public var asOf: String
    public var packVersion: String
    public var packSerial: Int
    public var result: InspectionDrawResult
    public var inspectors: [String: Inspector]
    /// Enterprises left out because a result was recorded within the pack's interval.
    public var recentlyInspected = 0
    public var intervalDays: Int? = nil
    /// The division the population was limited to (registered there); nil = the whole city.
    public var region: String? = nil

    /// The row `draws` keeps of this draw (a prepared draw keeps the same in `draw_preparations`).
    func stored(createdBy: String) -> StoredDraw {
        StoredDraw(seed: result.seed, asOf: asOf, packVersion: packVersion, packSerial: packSerial,
                   populationDigest: result.populationDigest, population: result.population, resultJSON: json(), createdBy: createdBy,
                   region: region, drawnCount: result.drawn.count, subjects: subjects, strata: strataJSON.jsonText,
                   populationCount: result.populationCount)
    }

    /// `2%`, `2.5%`: the ratio as the pack writes it, from basis points.
    static func percent(_ bp: Int) -> String {
        let whole = bp / 100, fraction = bp % 100
        if fraction == 0 { return "\(whole)%" }
        if fraction % 10 == 0 { return "\(whole).\(fraction / 10)%" }
        return "\(whole).\(fraction < 10 ? "0" : "")\(fraction)%"
    }

    func inspectorLabel(_ id: String) -> String {
        guard let i = inspectors[id] else { return id }
        return i.unit.isEmpty ? "\(i.name) (\(id))" : "\(i.name) (\(id), \(i.unit))"
    }

    public func text() -> String {
        let r = result
        var out = """
            inspection draw #\(id) (docs/policy.md §8)
            seed:               \(r.seed)
            as of:              \(asOf)
            rule pack:          \(packVersion) serial \(packSerial)
            region:             \(region ?? "the city")
            population:         \(r.populationCount) enterprises (\(r.unclassified) never classified, counted in B)
            not drawn again:    \(recentlyInspected) inspected within \(intervalDays.map { "\($0) days" } ?? "(no interval in the pack)")
            population digest:  sha256 \(r.populationDigest)

            stratum      n   ratio      k

            """
        for s in r.strata {
            out += s.name.padding(toLength: 8, withPad: " ", startingAt: 0)
                + String(s.n).leftPad(6) + Self.percent(s.ratioBasisPoints).leftPad(8) + String(s.k).leftPad(7) + "\n"
        }
        out += "\ndrawn: \(r.drawn.count)\n"
        for d in r.drawn {
            out += "\(d.uscc)  \(d.stratum)  class \(d.creditClass ?? "-")  \(d.mode == "remote" ? "remote (无感/远程)" : "on site")  \(d.name)\n"
            out += "    inspectors: " + d.inspectors.map(inspectorLabel).joined(separator: "; ") + "\n"
        }
        return out
    }

    /// Each stratum's n, ratio and k, as the JSON publishes them (and `draws.strata` keeps them).
    var strataJSON: JSONValue {
        .array(result.strata.map {
            .object(["stratum": .string($0.name), "n": .int(Int64($0.n)), "ratio_basis_points": .int(Int64($0.ratioBasisPoints)),
                     "k": .int(Int64($0.k))])
        })
    }

    /// A drawn subject's inspectors with their names and units, as the JSON publishes them.
    func inspectorsJSON(_ d: InspectionDrawResult.Drawn) -> JSONValue {
        func opt(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        return .array(d.inspectors.map { id in
            .object(["id": .string(id), "name": opt(inspectors[id]?.name), "unit": opt(inspectors[id]?.unit)])
        })
    }

    /// The drawn subjects as `draw_subjects` keeps them, in the order drawn.
    var subjects: [DrawSubject] {
        result.drawn.enumerated().map { n, d in
            DrawSubject(position: n, uscc: d.uscc, name: d.name, stratum: d.stratum, creditClass: d.creditClass, mode: d.mode,
                        inspectors: inspectorsJSON(d).jsonText)
        }
    }

    public func json() -> String {
        let r = result
        func opt(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        var fields: [String: JSONValue] = [
            "draw_id": .int(id), "seed": .string(r.seed), "as_of": .string(asOf),
            "pack_version": .string(packVersion), "pack_serial": .int(Int64(packSerial)),
            "population_digest": .string(r.populationDigest), "population_count": .int(Int64(r.populationCount)),
            "unclassified": .int(Int64(r.unclassified)),
            "recently_inspected": .int(Int64(recentlyInspected)), "interval_days": intervalDays.map { .int(Int64($0)) } ?? .null,
            "strata": strataJSON,
            "drawn": .array(r.drawn.map { d in
                .object(["uscc": .string(d.uscc), "name": .string(d.name), "stratum": .string(d.stratum),
                         "class": opt(d.creditClass), "hash": .string(d.hash), "mode": .string(d.mode),
                         "inspectors": inspectorsJSON(d)])
            }),
        ]
        // Only a draw limited to a division says so, so a city draw's JSON is as it always was.
        if let region { fields["region"] = .string(region) }
        return JSONValue.object(fields).jsonText + "\n"
    }

    /// One row per drawn subject; every row carries the draw's identity and its stratum's
    /// n / ratio / k, so a row taken out of the file still says which draw it came from.
    public func csv() -> String {
        let r = result
        var out = "draw_id,seed,as_of,pack_version,pack_serial,population_digest,stratum,stratum_n,stratum_ratio_percent,stratum_k,"
            + "uscc,name,class,hash,mode,inspector_ids,inspector_names\n"
        let strata = Dictionary(uniqueKeysWithValues: r.strata.map { ($0.name, $0) })
        for d in r.drawn {
            let s = strata[d.stratum]
            let fields = [String(id), r.seed, asOf, packVersion, String(packSerial), r.populationDigest, d.stratum,
                          String(s?.n ?? 0), Self.percent(s?.ratioBasisPoints ?? 0).replacingOccurrences(of: "%", with: ""),
                          String(s?.k ?? 0), d.uscc, d.name, d.creditClass ?? "", d.hash, d.mode,
                          d.inspectors.joined(separator: ";"), d.inspectors.map { inspectors[$0]?.name ?? $0 }.joined(separator: ";")]
            out += fields.map(CSVField.text).joined(separator: ",") + "\n"
        }
        return out
    }

}

extension String {
    fileprivate func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

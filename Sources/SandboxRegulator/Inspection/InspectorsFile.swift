import Foundation
import SandboxCore
import SandboxPolicy
import TOMLKit

/// Reads the inspectors file of `sandbox-regulator draw` (docs/policy.md §8 step 5):
///
///     [[inspector]]
///     id = "CD-0107"
///     name = "王敏"
///     unit = "武侯区市场监管局"
///     regions = ["510107"]     # registration divisions; empty = any region
///     active = true
public enum InspectorsFile {
    static let keys: Set<String> = ["id", "name", "unit", "regions", "active"]

    public static func load(path: String) throws(DrawError) -> [Inspector] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DrawError("\(path): cannot read the inspectors file; check the path given to --inspectors")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    public static func parse(_ text: String, file: String) throws(DrawError) -> [Inspector] {
        func fail(_ problem: String) -> DrawError { DrawError("\(file): \(problem)") }
        let root: TOMLTable
        do { root = try TOMLTable(string: text) } catch let e as TOMLParseError {
            throw fail("is not valid TOML: \(e.description) (line \(e.source.begin.line))")
        } catch {
            throw fail("is not valid TOML: \(error)")
        }
        for key in root.keys.sorted() where key != "inspector" {
            throw fail("unknown key `\(key)`; the file holds only [[inspector]] tables")
        }
        guard let tables = root["inspector"]?.array else {
            throw fail("no [[inspector]] tables; list every inspector who may be drawn (id, name, unit, regions, active)")
        }
        var out: [Inspector] = []
        var seen = Set<String>()
        for (index, element) in tables.enumerated() {
            let place = "[[inspector]] #\(index + 1)"
            guard let t = element.table else { throw fail("\(place) must be a table") }
            for key in t.keys.sorted() where !keys.contains(key) {
                throw fail("\(place): unknown key `\(key)`; known: " + keys.sorted().joined(separator: ", "))
            }
            guard let id = t["id"]?.string, !id.isEmpty else { throw fail("\(place): `id` is required (a non-empty string)") }
            guard seen.insert(id).inserted else { throw fail("\(place): inspector id `\(id)` appears twice") }
            guard let name = t["name"]?.string, !name.isEmpty else { throw fail("\(place) (\(id)): `name` is required") }
            if t["unit"] != nil && t["unit"]?.string == nil { throw fail("\(place) (\(id)): `unit` must be a string") }
            var regions: [String] = []
            if let value = t["regions"] {
                guard let array = value.array else { throw fail("\(place) (\(id)): `regions` must be an array of 6-digit codes") }
                for r in array {
                    guard let code = r.string, code.count == 6, code.allSatisfy(\.isASCII), code.allSatisfy(\.isNumber) else {
                        throw fail("\(place) (\(id)): region \(r) is not a 6-digit division code such as \"510107\"")
                    }
                    regions.append(code)
                }
            }
            if t["active"] != nil && t["active"]?.bool == nil { throw fail("\(place) (\(id)): `active` must be true or false") }
            out.append(Inspector(id: id, name: name, unit: t["unit"]?.string ?? "", regions: regions,
                                 active: t["active"]?.bool ?? true))
        }
        return out
    }
}

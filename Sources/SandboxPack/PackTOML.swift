import SandboxCore
import SandboxPolicy
import TOMLKit

/// Reads a rule pack's exact bytes (docs/policy.md §2.4 phases 1–2: size, UTF-8, TOML syntax) into
/// the core's neutral document, then compiles it (phases 3–5). The bytes are the bytes that were
/// signed: nothing here re-serialises a pack.
public enum PackTOML {
    public static let maxBytes = 1 << 20

    /// Compiles a pack from its bytes; every problem is in the thrown `PackErrors`.
    public static func compile(_ bytes: [UInt8], fileName: String) throws(PackErrors) -> RulePack {
        try RulePackCompiler.compile(try document(bytes, fileName: fileName))
    }

    public static func document(_ bytes: [UInt8], fileName: String) throws(PackErrors) -> PackDocument {
        func refuse(_ line: Int?, _ message: String) -> PackErrors {
            PackErrors([PackError(file: fileName, line: line, path: "", message: message)])
        }
        guard bytes.count <= maxBytes else { throw refuse(nil, "is \(bytes.count) bytes; a rule pack is at most 1 MiB") }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw refuse(nil, "is not valid UTF-8; save the pack as UTF-8")
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw refuse(e.source.begin.line, "is not valid TOML: \(e.description) (column \(e.source.begin.column))")
        } catch {
            throw refuse(nil, "is not valid TOML: \(error)")
        }
        return PackDocument(fileName: fileName, root: convert(table), locator: PackKeyLocator(text: text))
    }

    static func convert(_ table: TOMLTable) -> [String: PackNode] {
        var out: [String: PackNode] = [:]
        for key in table.keys {
            if let v = table[key] { out[key] = node(v) }
        }
        return out
    }

    static func node(_ v: TOMLValueConvertible) -> PackNode {
        switch v.type {
        case .table: return .table(convert(v.table!))
        case .array: return .array(v.array!.map { node($0) })
        case .string: return .text(v.string!)
        case .int: return .integer(Int64(v.int!))
        case .double: return .float(v.double!)
        case .bool: return .boolean(v.bool!)
        case .date:
            let d = v.date!
            if let c = CivilDate(year: d.year, month: d.month, day: d.day) { return .date(c) }
            return .other("an invalid date")
        case .time: return .other("a time")
        case .dateTime: return .other("a date-time (write a date without time)")
        }
    }
}

import SandboxCore
import TOMLKit

/// The `[pack]` table of a rule pack: who it is and where it stands (docs/policy.md §2.2, §2.5).
/// Enough to sign, publish and order packs; the rest of the file is the compiler's business.
public struct PackHeader: Sendable, Equatable {
    /// The only file format this code reads.
    public static let supportedFormat = 1
    public static let timeZone = "Asia/Shanghai"
    static let knownKeys: Set<String> = ["format", "id", "version", "serial", "title", "issuer",
                                         "effective_from", "time_zone", "description"]

    public var format: Int
    public var id: String
    public var version: String
    public var serial: Int
    public var effectiveFrom: CivilDate

    public init(format: Int = PackHeader.supportedFormat, id: String, version: String, serial: Int, effectiveFrom: CivilDate) {
        self.format = format; self.id = id; self.version = version; self.serial = serial; self.effectiveFrom = effectiveFrom
    }

    /// `"{id}-{version}"`, the name stamped on everything the agent sends (`chengdu-2026.1`).
    public var packVersion: String { "\(id)-\(version)" }

    /// `[a-z0-9-]{1,32}`.
    public static func isValidID(_ id: String) -> Bool {
        (1...32).contains(id.utf8.count) && id.utf8.allSatisfy { (0x61...0x7a).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2d }
    }

    /// Reads the `[pack]` table of `bytes` (valid UTF-8 TOML); `file` names the pack in messages.
    public static func parse(_ bytes: [UInt8], file: String) throws(PackError) -> PackHeader {
        func fail(_ problem: String) -> PackError { .pack(file: file, problem: problem) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw fail("is not valid UTF-8; save the pack as UTF-8 (without a byte order mark)")
        }
        let root: TOMLTable
        do { root = try TOMLTable(string: text) } catch let e as TOMLParseError {
            throw .pack(file: "\(file) line \(e.source.begin.line)",
                        problem: "is not valid TOML: \(e.description) (column \(e.source.begin.column))")
        } catch {
            throw fail("is not valid TOML: \(error)")
        }
        guard let value = root["pack"] else { throw fail("has no [pack] table; a rule pack starts with [pack] (docs/policy.md §2.2)") }
        guard let pack = value.table else { throw fail("`pack` must be the table [pack]") }
        for key in pack.keys.sorted() where !knownKeys.contains(key) {
            throw fail("[pack]: unknown key `\(key)`; known keys: " + knownKeys.sorted().joined(separator: ", "))
        }
        func required(_ key: String) throws(PackError) -> TOMLValueConvertible {
            guard let v = pack[key] else { throw fail("[pack].\(key) is required") }
            return v
        }
        guard let format = try required("format").int else { throw fail("[pack].format must be an integer") }
        guard format == supportedFormat else {
            throw fail("[pack].format is \(format); this program reads rule pack format \(supportedFormat): upgrade sandbox-regulator and sandbox-agent")
        }
        guard let id = try required("id").string else { throw fail("[pack].id must be a string") }
        guard isValidID(id) else { throw fail("[pack].id `\(id)` must be 1…32 characters of a-z 0-9 -") }
        guard let version = try required("version").string else { throw fail("[pack].version must be a string") }
        guard (1...32).contains(version.count) else { throw fail("[pack].version must be 1…32 characters, got \(version.count)") }
        guard let serial = try required("serial").int else { throw fail("[pack].serial must be an integer") }
        guard serial >= 1 else { throw fail("[pack].serial must be 1 or more, got \(serial)") }
        let effective = try required("effective_from")
        guard let date = effective.date else {
            throw fail("[pack].effective_from must be a TOML date without quotes or time, e.g. effective_from = 2026-01-01")
        }
        guard let day = CivilDate(year: date.year, month: date.month, day: date.day) else {
            throw fail("[pack].effective_from is not a calendar day")
        }
        guard let zone = try required("time_zone").string else { throw fail("[pack].time_zone must be a string") }
        guard zone == timeZone else { throw fail("[pack].time_zone must be \"\(timeZone)\", got \"\(zone)\"") }
        return PackHeader(format: format, id: id, version: version, serial: serial, effectiveFrom: day)
    }
}

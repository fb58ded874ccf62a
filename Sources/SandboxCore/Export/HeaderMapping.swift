/// How a file's columns map onto an export kind's schema: which column carries which field.
///
/// Built once per file (and again when a JSON Lines file grows a key), so per-row work is two
/// array look-ups. Names match after trimming spaces and a UTF-8 BOM, English case-insensitively.
public struct HeaderMapping: Sendable {
    public let kind: ExportKind
    public let schema: [ExportColumn]
    /// The file's column names as given.
    public private(set) var columns: [String] = []
    /// For each file column, the schema field it carries, or -1 (unknown or a repeated field).
    public private(set) var fieldOfColumn: [Int] = []
    /// For each schema field, the file column that carries it (the first if repeated), or -1.
    public private(set) var columnOfField: [Int]
    /// File columns that name no field of this kind: ignored, reported once.
    public private(set) var unknownColumns: [String] = []
    /// Required fields no column carries, as `english/中文`.
    public private(set) var missingRequired: [String] = []
    /// File columns naming a field an earlier column already carries: ignored.
    public private(set) var duplicateColumns: [String] = []

    public init(kind: ExportKind, columns: [String]) {
        self.kind = kind
        schema = ExportSchema.columns(for: kind)
        columnOfField = [Int](repeating: -1, count: schema.count)
        append(columns[...])
    }

    /// The mapping of `columns` when they extend this mapping's columns, as a JSON Lines reader's
    /// do (it only ever adds keys): only the new columns are looked up. Rebuilding for every new
    /// key made a file that grows a key per line quadratic (issue 17). Anything else is rebuilt.
    public func extended(to columns: [String]) -> HeaderMapping {
        let known = self.columns.count
        guard columns.count >= known, known == 0 || columns[known - 1] == self.columns[known - 1] else {
            return HeaderMapping(kind: kind, columns: columns)
        }
        var mapping = self
        mapping.append(columns[known...])
        return mapping
    }

    private mutating func append(_ added: ArraySlice<String>) {
        for name in added {
            let c = columns.count
            columns.append(name)
            fieldOfColumn.append(-1)
            guard let f = HeaderMapping.field(named: name, kind: kind) else { unknownColumns.append(name); continue }
            if columnOfField[f] >= 0 { duplicateColumns.append(name); continue }
            columnOfField[f] = c
            fieldOfColumn[c] = f
        }
        missingRequired = schema.indices.filter { schema[$0].required && columnOfField[$0] < 0 }
            .map { schema[$0].displayName }
    }

    /// True when the file can be read: every required column is present.
    public var isComplete: Bool { missingRequired.isEmpty }

    /// `missing required columns: platform_merchant_id/平台经营者ID, category/经营类目`, or nil.
    public var refusal: String? {
        missingRequired.isEmpty ? nil : "missing required columns: " + missingRequired.joined(separator: ", ")
            + " (the header must name each, in English or Chinese)"
    }

    /// Warnings for the report: unknown and duplicate columns.
    public var warnings: [String] {
        var w: [String] = []
        if !unknownColumns.isEmpty { w.append("unknown columns ignored: " + unknownColumns.joined(separator: ", ")) }
        if !duplicateColumns.isEmpty {
            w.append("repeated columns ignored (the first one is used): " + duplicateColumns.joined(separator: ", "))
        }
        return w
    }

    /// Index of the schema field a header names, or nil: the first field whose English or
    /// Chinese name matches once both are normalized.
    static func field(named raw: String, kind: ExportKind) -> Int? {
        let name = normalized(raw)
        return name.isEmpty ? nil : lookup(for: kind)[name]
    }

    /// Normalized header name → schema field, per kind, built once rather than normalizing every
    /// Chinese name again for each column.
    static func lookup(for kind: ExportKind) -> [String: Int] { lookups[kind] ?? [:] }

    private static let lookups: [ExportKind: [String: Int]] = {
        var all: [ExportKind: [String: Int]] = [:]
        for kind in ExportKind.allCases {
            var table: [String: Int] = [:]
            for (i, col) in ExportSchema.columns(for: kind).enumerated() {
                if !col.english.isEmpty, table[col.english] == nil { table[col.english] = i }
                for zh in col.chinese {
                    let name = normalized(zh)
                    if !name.isEmpty, table[name] == nil { table[name] = i }
                }
            }
            all[kind] = table
        }
        return all
    }()

    /// Strips a BOM and surrounding spaces (ASCII and 全角), folds ASCII to lower case and
    /// full-width parentheses to ASCII, so `年交易额（元）`, ` Shop_Name ` and `平台经营者id` match.
    static func normalized(_ raw: String) -> String {
        var scalars = Array(raw.unicodeScalars)
        func isSpace(_ s: Unicode.Scalar) -> Bool {
            s == " " || s == "\t" || s == "\r" || s == "\n" || s == "\u{FEFF}" || s == "\u{3000}" || s == "\u{A0}"
        }
        while let f = scalars.first, isSpace(f) { scalars.removeFirst() }
        while let l = scalars.last, isSpace(l) { scalars.removeLast() }
        var out = String.UnicodeScalarView()
        for s in scalars {
            switch s {
            case "A"..."Z": out.append(Unicode.Scalar(s.value + 32)!)
            case "（": out.append("(")
            case "）": out.append(")")
            default: out.append(s)
            }
        }
        return String(out)
    }
}

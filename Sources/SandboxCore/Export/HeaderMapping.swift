/// How a file's columns map onto an export kind's schema: which column carries which field.
///
/// Built once per file (and again when a JSON Lines file grows a key), so per-row work is two
/// array look-ups. Names match after trimming spaces and a UTF-8 BOM, English case-insensitively.
public struct HeaderMapping: Sendable {
    public let kind: ExportKind
    public let schema: [ExportColumn]
    /// The file's column names as given.
    public let columns: [String]
    /// For each file column, the schema field it carries, or -1 (unknown or a repeated field).
    public let fieldOfColumn: [Int]
    /// For each schema field, the file column that carries it (the first if repeated), or -1.
    public let columnOfField: [Int]
    /// File columns that name no field of this kind: ignored, reported once.
    public let unknownColumns: [String]
    /// Required fields no column carries, as `english/中文`.
    public let missingRequired: [String]
    /// File columns naming a field an earlier column already carries: ignored.
    public let duplicateColumns: [String]

    public init(kind: ExportKind, columns: [String]) {
        let schema = ExportSchema.columns(for: kind)
        self.kind = kind
        self.schema = schema
        self.columns = columns
        var fieldOfColumn = [Int](repeating: -1, count: columns.count)
        var columnOfField = [Int](repeating: -1, count: schema.count)
        var unknown: [String] = [], duplicate: [String] = []
        for (c, name) in columns.enumerated() {
            guard let f = HeaderMapping.field(named: name, in: schema) else { unknown.append(name); continue }
            if columnOfField[f] >= 0 { duplicate.append(name); continue }
            columnOfField[f] = c
            fieldOfColumn[c] = f
        }
        self.fieldOfColumn = fieldOfColumn
        self.columnOfField = columnOfField
        self.unknownColumns = unknown
        self.duplicateColumns = duplicate
        self.missingRequired = schema.indices.filter { schema[$0].required && columnOfField[$0] < 0 }
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

    /// Index of the schema field a header names, or nil.
    static func field(named raw: String, in schema: [ExportColumn]) -> Int? {
        let name = normalized(raw)
        guard !name.isEmpty else { return nil }
        for (i, col) in schema.enumerated() {
            if col.english == name { return i }
            for zh in col.chinese where normalized(zh) == name { return i }
        }
        return nil
    }

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

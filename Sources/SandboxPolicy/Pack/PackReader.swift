import SandboxCore

/// Typed, located access to a pack document for the compiler: every wrong type, missing key,
/// unknown key or bad expression becomes a `PackError` with its line, and reading goes on so one
/// round reports up to 50 problems.
final class PackReader {
    struct Table {
        var values: [String: PackNode]
        /// Locator path, e.g. `trigger[3]`.
        var path: String
        /// For messages, e.g. `trigger[3] "RL-04"`.
        var display: String
        func key(_ k: String) -> String { path.isEmpty ? k : path + "." + k }
        func shown(_ k: String) -> String { display.isEmpty ? k : display + "." + k }
    }

    static let maxErrors = 50
    let document: PackDocument
    private(set) var errors: [PackError] = []
    var definitions = ConditionDefinitions()

    init(document: PackDocument) { self.document = document }

    var root: Table { Table(values: document.root, path: "", display: "") }
    var full: Bool { errors.count >= Self.maxErrors }

    func fail(_ table: Table, _ key: String?, _ message: String) {
        guard errors.count < Self.maxErrors else { return }
        let path = key.map { table.key($0) } ?? table.path
        let line = document.locator.place(of: path)?.line
        errors.append(PackError(file: document.fileName, line: line, path: key.map { table.shown($0) } ?? table.display,
                                message: message))
    }

    /// Refuses keys the format does not know, listing the known ones.
    func allow(_ table: Table, _ known: [String]) {
        for key in table.values.keys.sorted() where !known.contains(key) {
            let guess = ConditionChecker.closest(key, in: known).map { "did you mean `\($0)`? " } ?? ""
            fail(table, key, "unknown key `\(key)`; \(guess)known keys: \(known.sorted().joined(separator: ", "))")
        }
    }

    private func value(_ table: Table, _ key: String, required: Bool) -> PackNode? {
        guard let v = table.values[key] else {
            if required { fail(table, nil, "missing required key `\(key)`") }
            return nil
        }
        return v
    }

    func table(_ parent: Table, _ key: String, required: Bool = true) -> Table? {
        guard let v = value(parent, key, required: required) else { return nil }
        guard case .table(let t) = v else { fail(parent, key, "must be a table, got \(v.typeName)"); return nil }
        return Table(values: t, path: parent.key(key), display: parent.shown(key))
    }

    /// `[[key]]` elements; the display names each by its id when it has one.
    func tables(_ parent: Table, _ key: String, required: Bool = false, idKey: String = "id") -> [Table] {
        guard let v = value(parent, key, required: required) else { return [] }
        guard case .array(let items) = v else { fail(parent, key, "must be an array of tables ([[\(key)]]), got \(v.typeName)"); return [] }
        var out: [Table] = []
        for (i, item) in items.enumerated() {
            let path = parent.key(key) + "[\(i)]"
            guard case .table(let t) = item else {
                fail(parent, key, "element \(i) must be a table, got \(item.typeName)"); continue
            }
            var display = parent.shown(key) + "[\(i)]"
            if case .text(let id)? = t[idKey] { display += " \"\(id)\"" }
            out.append(Table(values: t, path: path, display: display))
        }
        return out
    }

    func text(_ t: Table, _ key: String, required: Bool = true, maxLength: Int = 20_000) -> String? {
        guard let v = value(t, key, required: required) else { return nil }
        guard case .text(let s) = v else { fail(t, key, "must be a string, got \(v.typeName)"); return nil }
        guard !s.isEmpty else { fail(t, key, "must not be empty"); return nil }
        guard s.count <= maxLength else { fail(t, key, "is longer than \(maxLength) characters"); return nil }
        return s
    }

    func int(_ t: Table, _ key: String, _ range: ClosedRange<Int>, required: Bool = true) -> Int? {
        guard let v = value(t, key, required: required) else { return nil }
        guard case .integer(let n) = v else { fail(t, key, "must be an integer, got \(v.typeName)"); return nil }
        guard n >= Int64(range.lowerBound), n <= Int64(range.upperBound) else {
            fail(t, key, "must be between \(range.lowerBound) and \(range.upperBound), got \(n)"); return nil
        }
        return Int(n)
    }

    /// A number (integer or decimal with ≤ 2 decimals) as hundredths.
    func hundredths(_ t: Table, _ key: String, min: Double, max: Double, required: Bool = true) -> Int64? {
        guard let v = value(t, key, required: required) else { return nil }
        let d: Double
        switch v {
        case .integer(let n): d = Double(n)
        case .float(let f): d = f
        default: fail(t, key, "must be a number, got \(v.typeName)"); return nil
        }
        guard d >= min, d <= max else { fail(t, key, "must be between \(min) and \(max), got \(d)"); return nil }
        let h = (d * 100).rounded()
        guard abs(h - d * 100) < 1e-6 else { fail(t, key, "has more than two decimals"); return nil }
        return Int64(h)
    }

    func bool(_ t: Table, _ key: String, required: Bool = true) -> Bool? {
        guard let v = value(t, key, required: required) else { return nil }
        guard case .boolean(let b) = v else { fail(t, key, "must be true or false, got \(v.typeName)"); return nil }
        return b
    }

    func date(_ t: Table, _ key: String, required: Bool = true) -> CivilDate? {
        guard let v = value(t, key, required: required) else { return nil }
        guard case .date(let d) = v else { fail(t, key, "must be a TOML date (2026-01-01, no quotes), got \(v.typeName)"); return nil }
        return d
    }

    func dates(_ t: Table, _ key: String) -> [CivilDate] {
        guard let v = value(t, key, required: false) else { return [] }
        guard case .array(let items) = v else { fail(t, key, "must be an array of dates"); return [] }
        var out: [CivilDate] = []
        for item in items {
            guard case .date(let d) = item else { fail(t, key, "must contain TOML dates only, got \(item.typeName)"); continue }
            out.append(d)
        }
        return out
    }

    func texts(_ t: Table, _ key: String, required: Bool = false) -> [String] {
        guard let v = value(t, key, required: required) else { return [] }
        guard case .array(let items) = v else { fail(t, key, "must be an array of strings, got \(v.typeName)"); return [] }
        var out: [String] = []
        for item in items {
            guard case .text(let s) = item else { fail(t, key, "must contain strings only, got \(item.typeName)"); continue }
            out.append(s)
        }
        return out
    }

    func choice<E: RawRepresentable>(_ t: Table, _ key: String, _ type: E.Type, required: Bool = true) -> E?
    where E.RawValue == String, E: CaseIterable {
        guard let s = text(t, key, required: required) else { return nil }
        guard let e = E(rawValue: s) else {
            fail(t, key, "must be one of \(E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")), got \"\(s)\"")
            return nil
        }
        return e
    }

    static func isID(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 32 && s.unicodeScalars.allSatisfy {
            ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "-"
        }
    }

    func id(_ t: Table) -> String? {
        guard let s = text(t, "id") else { return nil }
        guard Self.isID(s) else { fail(t, "id", "ids are 1–32 letters, digits or `-`, got \"\(s)\""); return nil }
        return s
    }

    /// Compiles an expression key; its errors point into the string (line and column in the file).
    func expression(_ t: Table, _ key: String, expecting: ValueType, stage: Int, scope: ConditionScope = .merchant,
                    required: Bool = true) -> TypedCondition? {
        guard let source = text(t, key, required: required, maxLength: 4096) else { return nil }
        do {
            return try ConditionChecker.compile(source, expecting: expecting, stage: stage, scope: scope,
                                                definitions: definitions)
        } catch {
            failExpression(t, key, error)
            return nil
        }
    }

    func failExpression(_ t: Table, _ key: String, _ error: ConditionError) {
        guard errors.count < Self.maxErrors else { return }
        let place = document.locator.place(of: t.key(key))
        var line: Int? = nil
        var column = error.location.column
        if let place {
            line = place.valueLine + error.location.line - 1
            if error.location.line == 1 { column += place.valueColumn - 1 }
        }
        errors.append(PackError(file: document.fileName, line: line, path: t.shown(key) + ", column \(column)",
                                message: error.message))
    }
}

import SandboxCore
import SandboxFormats

/// The JSON lines of the agent's reports, one place for their field names (docs/outbox.md).
public enum ReportLines {
    static func rejectedRow(platformID: String, file: String, kind: ExportKind, _ r: RowRejection) -> [UInt8] {
        rowRejected(platformID: platformID, file: file, kind: kind, line: r.line,
                    problems: r.problems.map { (column: Optional($0.column), number: $0.columnNumber, reason: $0.reason) })
    }

    /// A row the reader could not split into values: the same `row_rejected` line, with no column number.
    static func malformedRow(platformID: String, file: String, kind: ExportKind?, _ m: MalformedRow) -> [UInt8] {
        rowRejected(platformID: platformID, file: file, kind: kind, line: m.line,
                    problems: [(column: m.column, number: nil, reason: m.reason)])
    }

    private static func rowRejected(platformID: String, file: String, kind: ExportKind?, line: Int,
                                    problems: [(column: String?, number: Int?, reason: String)]) -> [UInt8] {
        var j = JSONLine()
        j.add("type", "row_rejected")
        j.add("platform_id", platformID)
        j.add("file", file)
        j.add("kind", kind?.rawValue)
        j.add("line", line)
        j.add("problems", objects: problems.map { p in
            var o = JSONLine()
            o.add("column", p.column)
            o.add("column_number", p.number)
            o.add("reason", p.reason)
            return o
        })
        return j.finished
    }

    static func unknownColumns(platformID: String, file: String, kind: ExportKind, _ names: [String]) -> [UInt8] {
        var j = JSONLine()
        j.add("type", "unknown_columns")
        j.add("platform_id", platformID)
        j.add("file", file)
        j.add("kind", kind.rawValue)
        j.add("line", 1)
        j.add("columns", strings: names)
        j.add("reason", "columns not in export format v1 were ignored (docs/export-format.md)")
        return j.finished
    }

    /// Records whose every field was empty, skipped like blank lines: nothing lost, but the
    /// platform should know its export carries them (a spreadsheet's blank rows, `,,,`).
    static func emptyRecordsSkipped(platformID: String, file: String, kind: ExportKind, _ e: EmptyRecords) -> [UInt8] {
        var j = JSONLine()
        j.add("type", "empty_records_skipped")
        j.add("platform_id", platformID)
        j.add("file", file)
        j.add("kind", kind.rawValue)
        j.add("count", e.count)
        j.add("lines", raw: Array(("[" + e.firstLines.map(String.init).joined(separator: ",") + "]").utf8))
        j.add("reason", "records whose every field is empty (a blank spreadsheet row written as ,,,) were skipped like blank lines; "
              + "nothing was lost. `lines` lists the first \(EmptyRecords.lineLimit)")
        return j.finished
    }

    static func fileProblem(type: String, platformID: String, file: String, sha256: String?, reason: String,
                            line: Int? = nil) -> [UInt8] {
        var j = JSONLine()
        j.add("type", type)
        j.add("platform_id", platformID)
        j.add("file", file)
        j.add("sha256", sha256)
        j.add("line", line)
        j.add("reason", reason)
        return j.finished
    }

    /// A finding as `{code, severity, message, basis, evidence}`, written in place.
    public static func finding(_ f: Finding, _ o: inout JSONLine) {
        o.add("code", f.code)
        o.add("severity", f.severity.rawValue)
        o.add("message", f.message)
        o.add("basis", f.basis)
        o.add("evidence", each: f.evidence) { x, e in
            x.add("field", e.field)
            x.add("expected", e.expected)
            x.add("found", e.found)
        }
    }

    /// `file` nil: the calendar moved (a licence expired, a verification got old), no file did.
    static func findingsChanged(platformID: String, merchantID: String, uscc: String?, file: String?,
                                verifiedOn: CivilDate, change: FindingsChange, current: [Finding]) -> [UInt8] {
        var j = JSONLine()
        j.add("type", "findings_changed")
        j.add("platform_id", platformID)
        j.add("platform_merchant_id", merchantID)
        j.add("uscc", uscc)
        j.add("trigger", file == nil ? "calendar" : "file")
        j.add("source_file", file)
        j.add("verified_on", verifiedOn.description)
        j.add("opened", each: change.opened) { finding($1, &$0) }
        j.add("changed", each: change.changed) { finding($1, &$0) }
        j.add("cleared", strings: change.cleared.map(\.code))
        // The full findings are in `opened` and `changed`; repeating every one here would double
        // the size of a first ingest's report for nothing.
        j.add("current", strings: current.map(\.code))
        return j.finished
    }
}

/// The text of one progress line — file, rows, megabytes, rate, time left — from the figures.
/// Pure, so the wording and the arithmetic are tested exactly; `ProgressDisplay` draws it.
///
/// The rate is the average since the start (steadier than the last interval's); the time left
/// comes from the bytes still to read when the size is known (for gzip, the compressed bytes),
/// else from the rows still to write when their number is known (`generate`), else it is left out.
public struct ProgressLine: Sendable, Equatable {
    public var label: String
    public var rows = 0
    public var rowsTotal: Int?
    /// What the rows are ("rows", "merchants").
    public var rowNoun = "rows"
    public var bytes = 0
    public var bytesTotal: Int?
    public var elapsedSeconds = 0.0

    /// No estimate before this: the first second's rate is mostly start-up.
    static let settleSeconds = 1.0

    public init(label: String, rowsTotal: Int? = nil, rowNoun: String = "rows", bytesTotal: Int? = nil) {
        self.label = label
        self.rowsTotal = rowsTotal
        self.rowNoun = rowNoun
        self.bytesTotal = bytesTotal
    }

    /// Bytes per second since the start; nil before anything was read or any time passed.
    public var bytesPerSecond: Double? {
        guard bytes > 0, elapsedSeconds > 0 else { return nil }
        return Double(bytes) / elapsedSeconds
    }

    /// Seconds to the end at the average rate so far; nil while there is no fair estimate.
    public var secondsLeft: Double? {
        guard elapsedSeconds >= ProgressLine.settleSeconds else { return nil }
        if let total = bytesTotal, total > 0, let rate = bytesPerSecond {
            return Double(max(0, total - bytes)) / rate
        }
        if let total = rowsTotal, rows > 0 {
            return elapsedSeconds * Double(max(0, total - rows)) / Double(rows)
        }
        return nil
    }

    /// The line, at most `width - 1` terminal columns (the last column would wrap on some
    /// terminals, and a wrapped line cannot be redrawn with a carriage return): a long label
    /// keeps its end, where export names carry their date.
    public func text(width: Int) -> String {
        var figures = "  " + ProgressLine.grouped(rows) + (rowsTotal.map { "/" + ProgressLine.grouped($0) } ?? "") + " " + rowNoun
        figures += "  " + ProgressLine.megabytes(bytes) + (bytesTotal.map { "/" + ProgressLine.megabytes($0) } ?? "") + " MB"
        if let rate = bytesPerSecond, elapsedSeconds >= 0.1 {
            figures += "  " + ProgressLine.megabytes(Int(rate)) + " MB/s"
        }
        if let left = secondsLeft { figures += "  " + ProgressLine.duration(left) + " left" }
        let room = width - 1 - ProgressLine.columns(figures)
        if ProgressLine.columns(label) <= room { return label + figures }
        guard room >= 2 else { return ProgressLine.prefix(label + figures, columns: width - 1) }
        return "…" + ProgressLine.suffix(label, columns: room - 1) + figures
    }

    /// 1234567 → "1,234,567".
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    /// Bytes as megabytes (10⁶) with one decimal: 38_249_000 → "38.2".
    static func megabytes(_ bytes: Int) -> String {
        let tenths = (bytes + 50_000) / 100_000
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// "7 s", "3 min 05 s", "2 h 04 min": what a person reads at a glance.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.up))
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min " + (s % 60 < 10 ? "0" : "") + "\(s % 60) s" }
        let m = (s % 3600) / 60
        return "\(s / 3600) h " + (m < 10 ? "0" : "") + "\(m) min"
    }

    /// Terminal columns of the text: East Asian wide characters (中文 file names) take two.
    static func columns(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + width(of: $1) }
    }

    private static func width(of scalar: Unicode.Scalar) -> Int {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            2
        default:
            1
        }
    }

    /// The longest end of `text` that fits in `columns`.
    private static func suffix(_ text: String, columns: Int) -> String {
        string(fitting(text.unicodeScalars.reversed(), columns: columns).reversed())
    }

    /// The longest start of `text` that fits in `columns`.
    private static func prefix(_ text: String, columns: Int) -> String {
        string(fitting(text.unicodeScalars, columns: columns))
    }

    /// The leading scalars of `scalars` that fit in `columns`.
    private static func fitting(_ scalars: some Sequence<Unicode.Scalar>, columns: Int) -> [Unicode.Scalar] {
        var used = 0
        var kept: [Unicode.Scalar] = []
        for scalar in scalars {
            used += width(of: scalar)
            if used > columns { break }
            kept.append(scalar)
        }
        return kept
    }

    private static func string(_ scalars: some Sequence<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}

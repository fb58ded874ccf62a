import SandboxCore

/// HTTP-date (RFC 9110 §5.6.7) to Unix seconds: the IMF-fixdate every server should send, and the
/// two obsolete forms a recipient must still accept (RFC 850 and asctime). The day is the core's
/// `CivilDate`, so a day that does not exist (30 Feb) is no date.
enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// `Sun, 06 Nov 1994 08:49:37 GMT`, `Sunday, 06-Nov-94 08:49:37 GMT` or `Sun Nov  6 08:49:37 1994`.
    static func unixSeconds(_ text: String) -> Int64? {
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" || $0 == "\t" }).map(String.init)
        guard tokens.count >= 5, tokens[0].allSatisfy(\.isLetter) else { return nil }
        let day: Int?, month: Int?, year: Int?, clock: String
        if let m = monthNumber(tokens[1]) {
            // asctime: weekday month day time year
            month = m; day = Int(tokens[2]); clock = tokens[3]; year = Int(tokens[4])
        } else {
            guard tokens.count == 6, tokens[5] == "GMT" else { return nil }
            day = Int(tokens[1]); month = monthNumber(tokens[2]); clock = tokens[4]
            if let y = Int(tokens[3]), tokens[3].count == 2 {
                // RFC 850's two-digit year: a date more than 50 years ahead means the past century.
                year = y < 70 ? 2000 + y : 1900 + y
            } else {
                year = Int(tokens[3])
            }
        }
        let parts = clock.split(separator: ":").map { Int($0) }
        guard let day, let month, let year, (1...31).contains(day), (1...9999).contains(year),
              parts.count == 3, let h = parts[0], let mi = parts[1], let s = parts[2],
              (0...23).contains(h), (0...59).contains(mi), (0...60).contains(s),
              let date = CivilDate(year: year, month: month, day: day) else { return nil }
        return Int64(date.dayNumber) * 86_400 + Int64(h * 3600 + mi * 60 + s)
    }

    private static func monthNumber(_ name: String) -> Int? {
        months.firstIndex(of: name.lowercased()).map { $0 + 1 }
    }
}

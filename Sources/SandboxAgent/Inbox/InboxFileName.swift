/// Which names in the inbox are exports to read, and which are not ours to touch.
///
/// The contract with platforms (docs/inbox-contract.md): write the file under a name that starts
/// with `.` or ends in `.tmp`, `.part` or `.partial`, then rename it to its final name. Those
/// names are never read, so a half-written file can never be taken.
public enum InboxFileName {
    static let temporarySuffixes = [".tmp", ".part", ".partial", ".swp", "~"]
    /// The folder's own note for people (the repository's inbox/README.md): never an export.
    static let notes: Set<String> = ["readme", "readme.md", "readme.txt"]

    /// True when the agent may take a file of this name (whatever its kind: a file of an unknown
    /// kind is taken and set aside with a report, so the platform hears about it).
    public static func isCandidate(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("."), isSafeComponent(name) else { return false }
        let lower = name.lowercased()
        return !notes.contains(lower) && !temporarySuffixes.contains { lower.hasSuffix($0) }
    }

    /// A single path component with no way out of its folder: no `/`, not `.` or `..`, no NUL
    /// or control characters. Every name the agent turns into a path passes through here.
    public static func isSafeComponent(_ name: String) -> Bool {
        guard name != ".", name != "..", name.utf8.count <= 255 else { return false }
        return !name.utf8.contains { $0 == 0x2f || $0 < 0x20 || $0 == 0x7f }
    }

    /// A name derived from an untrusted one, safe to use as a path component in our folders:
    /// unsafe bytes become `_`, and it is cut to a length that leaves room for our prefixes.
    public static func sanitized(_ name: String) -> String {
        var scalars = String.UnicodeScalarView()
        for s in name.unicodeScalars {
            scalars.append(s == "/" || s.value < 0x20 || s.value == 0x7f ? "_" : s)
        }
        var out = String(scalars)
        while out.utf8.count > 180 { out.removeLast() }
        if out.isEmpty || out == "." || out == ".." { out = "_" }
        return out
    }

    /// The export's own date, `-YYYYMMDD` in its name (as `generate` writes and most export jobs
    /// do), as the number YYYYMMDD; the last such date when there are several; nil when none.
    /// Orders exports of one kind by the day they describe, whatever order they arrive in.
    public static func exportDay(_ name: String) -> Int? {
        let bytes = Array(name.utf8)
        var found: Int?
        var i = 0
        while i + 9 <= bytes.count {
            let isDigit = { (b: UInt8) in b >= 0x30 && b <= 0x39 }
            let boundaryAfter = i + 9 == bytes.count || [0x2e, 0x2d, 0x5f].contains(bytes[i + 9])  // . - _
            if bytes[i] == 0x2d, bytes[(i + 1)...(i + 8)].allSatisfy(isDigit), boundaryAfter {
                let n = bytes[(i + 1)...(i + 8)].reduce(0) { $0 * 10 + Int($1 - 0x30) }
                let month = n / 100 % 100, day = n % 100
                if (1...12).contains(month) && (1...31).contains(day) && n / 10_000 >= 2000 { found = n }
            }
            i += 1
        }
        return found
    }
}

/// A platform's id at the regulator: 1–64 characters of `A-Z a-z 0-9 - _`. It goes into file
/// names and URLs, so nothing else is allowed.
public enum PlatformID {
    public static func isValid(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count) && id.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b == 0x2d || b == 0x5f
        }
    }
}

/// Comparison of secrets (token digests, password hashes, CSRF tokens) whose time does not
/// depend on where they first differ, so a caller cannot find a secret byte by byte by timing.
enum ConstantTime {
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in a.indices { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}

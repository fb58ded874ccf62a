import SandboxCore

/// Unified social credit codes for tests, both check characters right, so a test's merchant is
/// refused or admitted for what the test is about and never for its code.
public enum TestUSCC {
    /// `91` + `region` (行政区划代码) + the 8-character organisation body + its check character +
    /// the code's check character.
    public static func valid(region: String = "510104", body: String) -> String {
        let body = Array(body.utf8)
        let organisation = String(decoding: body + [USCC.organizationCheckCharacter(body)!], as: UTF8.self)
        return USCC.withCheckCharacter("91" + region + organisation)!
    }

    /// The `n`th code of `region` (body `MA000001`, `MA000002`, …).
    public static func valid(region: String = "510104", _ n: Int) -> String {
        var digits = String(n)
        digits = String(repeating: "0", count: max(0, 6 - digits.count)) + digits
        return valid(region: region, body: "MA" + digits)
    }
}

import SandboxCore

/// One market entity (one USCC) in a draw's population (docs/policy.md §8 step 1).
public struct InspectionSubject: Sendable, Equatable {
    public var uscc: String
    /// Registry name when the regulator has one, else a storefront's registered or shop name.
    public var name: String
    /// The union roster (§5.3) has the enterprise as a member.
    public var member: Bool
    /// The current class of each classified storefront across platforms (`A`…`D`).
    public var classes: [String]

    public init(uscc: String, name: String, member: Bool, classes: [String]) {
        self.uscc = uscc; self.name = name; self.member = member; self.classes = classes
    }

    /// Credit classes from best to worst (信用风险低 → 高).
    public static let classOrder = ["A", "B", "C", "D"]

    /// The worst class any platform gives it; nil when never classified (or only unknown letters).
    public var worstClass: String? {
        classes.compactMap { Self.classOrder.firstIndex(of: $0) }.max().map { Self.classOrder[$0] }
    }

    /// §8 step 2: `sandbox` for members, else the worst class; never classified → `B`, the
    /// neutral default (信用风险一般), which the draw reports separately.
    public var stratum: String { member ? "sandbox" : (worstClass ?? "B") }

    /// The registration division, USCC positions 3–8 (§8 step 5). A legacy 15-digit registration
    /// number starts with its registration authority's division, positions 1–6.
    public var region: String {
        let chars = Array(uscc)
        if chars.count == 18 { return String(chars[2..<8]) }
        return String(chars.prefix(6))
    }
}

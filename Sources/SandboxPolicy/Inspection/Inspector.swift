/// A law-enforcement officer who may be sent on inspections (the inspectors file, §8 step 5).
public struct Inspector: Sendable, Equatable {
    public var id: String
    public var name: String
    public var unit: String
    /// Registration divisions (6 digits) this inspector covers; empty = any region.
    public var regions: [String]
    public var active: Bool

    public init(id: String, name: String, unit: String = "", regions: [String] = [], active: Bool = true) {
        self.id = id; self.name = name; self.unit = unit; self.regions = regions; self.active = active
    }

    public func covers(region: String) -> Bool { active && (regions.isEmpty || regions.contains(region)) }
}

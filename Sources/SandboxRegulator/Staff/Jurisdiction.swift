import SandboxCore

/// Which enterprises a staff member may see (../shared/DOMAIN.md §8). Pure: the store supplies
/// the facts (storefront regions, association membership) and this decides.
public enum Jurisdiction: Sendable, Equatable {
    /// City bureau and auditors.
    case everything
    /// A district bureau by its 行政区划代码: enterprises registered in the division (USCC
    /// characters 3–8, the registration authority's division) or with a storefront whose
    /// `region_code` is the division.
    case district(String)
    /// An association by id: its member enterprises only.
    case association(String)

    /// The facts about one enterprise that jurisdiction depends on.
    public struct Enterprise: Sendable {
        public var uscc: String
        /// `region_code` of its storefronts on every platform.
        public var storefrontRegions: Set<String>
        /// Associations whose member list holds it.
        public var associations: Set<String>
        public init(uscc: String, storefrontRegions: Set<String> = [], associations: Set<String> = []) {
            self.uscc = uscc; self.storefrontRegions = storefrontRegions; self.associations = associations
        }
    }

    public func admits(_ e: Enterprise) -> Bool {
        switch self {
        case .everything: return true
        case .district(let code): return USCC.divisionCode(e.uscc) == code || e.storefrontRegions.contains(code)
        case .association(let id): return e.associations.contains(id)
        }
    }

    public static func isDivisionCode(_ text: String) -> Bool {
        text.utf8.count == 6 && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}

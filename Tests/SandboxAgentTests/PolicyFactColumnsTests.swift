import SandboxPolicy
import XCTest
@testable import SandboxAgent

/// The columns a policy pass loads its facts from are named twice: once per field a pack may
/// read (`AgentState.policyMerchantColumns`, `policyRegistryColumns`) and once in the table's
/// own list (`merchantColumns`, `registryColumns`, which the upserts write). A rename in one list
/// and not the other would load a column that is not there, or a field from nothing.
final class PolicyFactColumnsTests: XCTestCase {
    func testEveryColumnAPackReadsIsAColumnTheStateWrites() {
        XCTAssertEqual(Set(AgentState.policyMerchantColumns.values).subtracting(AgentState.merchantColumns), [])
        XCTAssertEqual(Set(AgentState.policyRegistryColumns.values).subtracting(AgentState.registryColumns), [])
    }

    func testEveryMerchantAndRegistryFieldHasItsColumn() {
        // merchant.registered_locally is derived by the pass from the USCC, not loaded.
        let loaded = ConditionField.allCases.filter { $0 != .registeredLocally }
        let merchant = loaded.filter { $0.rawValue.hasPrefix("merchant.") }
        let registry = loaded.filter { $0.rawValue.hasPrefix("registry.") }
        XCTAssertEqual(merchant.filter { AgentState.policyMerchantColumns[$0] == nil }, [])
        XCTAssertEqual(registry.filter { AgentState.policyRegistryColumns[$0] == nil }, [])
    }
}

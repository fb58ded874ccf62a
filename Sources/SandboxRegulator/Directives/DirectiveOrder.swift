import Foundation
import SandboxCore
import SandboxWire

/// What an officer of the city bureau orders by hand on the console's directives page: one type
/// of instruction, to one enterprise or a list of them, with the reason and what the platform
/// must do. Pure: checked here, turned into the payload each platform receives.
struct DirectiveOrder: Sendable, Equatable {
    /// The instruction types staff issue by hand (docs/outbox.md): those the agent writes into
    /// an instruction file of their own. `sandbox`, `determination`, `event`, `confirmation` and
    /// `turnover` are the regulator's decisions' own directives, sent by their pages and never
    /// by hand; an association's prompt goes through its page.
    static let handTypes = ["guidance", "warning", "takedown", "suspend", "terminate", "reinstate", "prompt"]

    var type: String
    var usccs: [String]
    var reason: String
    var basis: String?
    /// What the platform must have done (措施), in the officer's words.
    var action: String?
    /// Rectify by then (a day, Asia/Shanghai), when the instruction sets one.
    var deadline: CivilDate?

    /// The order, or what is wrong with it in words the officer can act on.
    static func checked(type: String, usccs: [String], reason: String?, basis: String?, action: String?,
                        deadline: String?) throws -> DirectiveOrder {
        guard handTypes.contains(type) else {
            throw DirectiveOrderProblem("the directive type must be one of \(handTypes.joined(separator: ", ")); got \"\(type)\"")
        }
        guard !usccs.isEmpty else { throw DirectiveOrderProblem("name an enterprise by its USCC, or upload a list of USCCs") }
        if let bad = usccs.first(where: { USCC.check($0) != .valid }) {
            throw DirectiveOrderProblem("\(bad) is not a valid USCC (18 characters with a correct check character)")
        }
        guard let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else {
            throw DirectiveOrderProblem("give the reason: it goes to the platform and from there to the merchant")
        }
        var day: CivilDate?
        if let text = deadline {
            guard let parsed = CivilDate(isoText: text) else { throw DirectiveOrderProblem("the deadline must be a day as YYYY-MM-DD; got \(text)") }
            day = parsed
        }
        // A browser sends a text area's line breaks as CRLF, and a hidden field's back the same
        // way: kept as LF, the payload the preview showed is the payload the confirmation sends.
        func lines(_ text: String?) -> String? { text?.replacingOccurrences(of: "\r\n", with: "\n") }
        return DirectiveOrder(type: type, usccs: usccs, reason: lines(reason)!, basis: lines(basis), action: lines(action), deadline: day)
    }

    /// The payload every platform receives, naming the organ and the officer that issued it.
    func payload(issuer: String, officer: String) -> JSONValue {
        var o: [String: JSONValue] = ["reason": .string(reason), "issuer": .string(issuer), "officer": .string(officer)]
        if let basis { o["basis"] = .string(basis) }
        if let action { o["action"] = .string(action) }
        if let deadline { o["deadline"] = .string(deadline.description) }
        return .object(o)
    }
}

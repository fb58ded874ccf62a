import SandboxWire

/// POST /v1/admin/roster/{uscc} answer.
struct RosterOverrideAnswer: Encodable {
    var override: RosterOverride
    var directives: [Directive]
}

import SandboxCore

/// How a merchant's findings moved when the verifier's new list replaced the stored one.
public struct FindingsChange: Equatable, Sendable {
    /// Codes the merchant did not have before.
    public var opened: [Finding] = []
    /// Codes the merchant no longer has (the stored finding, as it was).
    public var cleared: [Finding] = []
    /// Codes kept with a different severity, message, evidence or basis (the new finding).
    public var changed: [Finding] = []

    public init(opened: [Finding] = [], cleared: [Finding] = [], changed: [Finding] = []) {
        self.opened = opened; self.cleared = cleared; self.changed = changed
    }

    /// Nothing was written.
    public var isEmpty: Bool { opened.isEmpty && cleared.isEmpty && changed.isEmpty }
}

import SandboxWire

/// A directive with where its receipts stand: what staff follow after issuing it (the console's
/// directives page, the enterprise's file). The platform answers with receipts (executed,
/// rectified, rejected with a note); the newest one is the directive's state.
public struct TrackedDirective: Sendable, Equatable {
    public var directive: Directive
    /// The staff member (or `admin-token`) who issued it by hand; nil for the directives the
    /// regulator sent by itself or as part of a decision.
    public var issuedBy: String?
    public var receipts: Int
    /// The newest receipt's action, time (Unix seconds) and note.
    public var lastAction: String?
    public var lastAt: Int64?
    public var lastNote: String?
}

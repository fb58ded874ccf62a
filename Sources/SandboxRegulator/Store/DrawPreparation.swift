import SandboxWire

/// A draw being prepared for the console's preview, or prepared (`draw_preparations`, issue
/// 14): its progress while a node works on it, then the head of the prepared draw — what the
/// preview shows — without its population or subjects, which stay in the database until 抽取.
public struct DrawPreparation: Sendable, Equatable {
    public enum State: String, Sendable {
        /// A node works on it (or did, until its heartbeat stopped: `isStale`).
        case preparing
        /// Prepared: the preview shows it and 抽取 stores it.
        case ready
        /// It could not be made (`error` says why); nothing to draw.
        case failed
        /// Drawn: `drawID` is the stored draw.
        case drawn
    }

    /// Where a preparation is, for the page that waits for it.
    public enum Phase: String, Sendable {
        case queued, population, inspected, drawing, storing, done
    }

    public var id: Int64
    public var createdBy: String
    public var createdAt: Int64
    public var heartbeatAt: Int64
    public var state: State
    public var phase: Phase
    public var request: DrawPreparationRequest
    public var error: String?
    public var drawID: Int64?
    /// The prepared draw's head once `ready` (or `drawn`).
    public var prepared: Prepared?

    public struct Prepared: Sendable, Equatable {
        public var preparedAt: Int64
        public var asOf: String
        public var packVersion: String
        public var packSerial: Int64
        public var populationDigest: String
        public var populationCount: Int
        public var recentlyInspected: Int
        public var drawnCount: Int
        public var inspectorsCount: Int
        /// `[{"stratum", "n", "ratio_basis_points", "k"}]`, as `draws.strata`.
        public var strata: JSONValue
    }

    /// A node writes the heartbeat this often while it prepares (DrawPreparer).
    public static let heartbeatSeconds: Int64 = 5
    /// A preparation whose heartbeat is this old has lost its node: another takes it over.
    public static let staleSeconds: Int64 = 30
    /// A prepared draw may be drawn this long after it was prepared; after that the population
    /// the officer saw is too old to publish as the day's, and the preview is made again.
    public static let validSeconds: Int64 = 3600
    /// Preparations are forgotten a day after they were asked for, drawn or not (the draw itself
    /// is in `draws`).
    public static let keptSeconds: Int64 = 86_400

    public func isStale(now: Int64) -> Bool { state == .preparing && heartbeatAt < now - Self.staleSeconds }
}

/// What 抽取 of a preparation came to.
public enum DrawFromPreparation: Sendable, Equatable {
    /// Stored now, or already by an earlier 抽取 of the same preview (a second click draws nothing new).
    case drawn(Int64)
    case notFound
    case notReady(DrawPreparation.State)
    case expired
}

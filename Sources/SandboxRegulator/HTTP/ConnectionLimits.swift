import Glibc

/// What one connection may hold and how many there may be (issue 17: 1,100 idle connections took
/// every file descriptor and `/healthz` timed out).
///
/// - `idleTimeoutSeconds`: a connection that sends nothing — no request, or a request head that
///   trickles in a byte at a time (slow-loris) — is closed after this long. A request being
///   answered (a 60 s directive long poll) is not idle.
/// - `maxConnections`: above it new connections wait in the kernel's backlog instead of taking a
///   descriptor; the idle timeout frees places, so a flood delays `/healthz` by at most about that
///   long instead of stopping it.
public struct ConnectionLimits: Sendable, Equatable {
    public var idleTimeoutSeconds: Int
    public var maxConnections: Int

    /// Descriptors kept for everything but connections: stdio, the database and its WAL files,
    /// the listening socket, the event loops' epoll and eventfd, the systemd sockets.
    public static let reservedDescriptors = 64

    public init(idleTimeoutSeconds: Int = 30, maxConnections: Int = 1_000) {
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.maxConnections = maxConnections
    }

    /// The cap lowered to fit the process's open-file limit (`ulimit -n`, the unit's
    /// `LimitNOFILE=`), leaving `reservedDescriptors`; nil when it already fits.
    public func fittingDescriptorLimit() -> ConnectionLimits? {
        var limit = rlimit()
        // rlim_t.max: RLIM_INFINITY.
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return nil }
        let room = Int(clamping: limit.rlim_cur) - Self.reservedDescriptors
        guard maxConnections > room else { return nil }
        var fitted = self
        fitted.maxConnections = max(16, room)
        return fitted
    }
}

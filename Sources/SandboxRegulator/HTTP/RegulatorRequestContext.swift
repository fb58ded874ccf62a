import Hummingbird

/// The regulator's request context: Hummingbird's basics, plus the peer address for the log of
/// refused requests (`RefusalLog`). Behind the TLS front end the peer is the front end; its
/// `X-Forwarded-For` is logged beside it.
public struct RegulatorRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The socket peer's IP address, or "unknown" (a test channel has none).
    public let peer: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}

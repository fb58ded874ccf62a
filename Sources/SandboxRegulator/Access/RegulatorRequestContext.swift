import Hummingbird
import NIOCore

/// The regulator's request context (Hummingbird's idiom): the identity middleware puts the
/// caller on it once, and the gates and handlers read it from there — no handler parses a token.
public struct RegulatorRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `IdentityMiddleware`; nil when the request carried no credential or a bad one.
    public var identity: Identity?
    /// Why `identity` is nil when a credential was sent but not accepted (the 401's message).
    public var authenticationProblem: APIError?
    /// The secret of the session or token used, for logging out (never logged).
    var credentialDigest: [UInt8]?
    /// What the console's middleware learnt of a browser request (language, the session's CSRF
    /// token); left as it is on API routes.
    var console = ConsoleRequestState()
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The caller's address for the audit trail: the IP without the port.
    public var address: String? { remoteAddress?.ipAddress }

    /// The socket peer's IP address, or "unknown" (a test channel has none), for the log of
    /// refused requests (`RefusalLog`). Behind the TLS front end the peer is the front end.
    public var peer: String { address ?? "unknown" }

    /// The identity, or the 401 that says what is wrong with the credential.
    public func requireIdentity() throws(APIError) -> Identity {
        if let identity { return identity }
        throw authenticationProblem ?? APIError(.unauthorized, "missing Authorization header; send `Authorization: Bearer <token>`")
    }
}

extension RegulatorRequestContext {
    /// The enterprises the caller may see. An identity without a jurisdiction (a platform, which
    /// a gate keeps out of staff routes anyway) sees none: an association no one belongs to.
    func scope() throws -> Jurisdiction {
        try requireIdentity().jurisdiction ?? .association("")
    }

    /// Passes when the caller's jurisdiction holds the enterprise of `uscc`; otherwise throws
    /// `denied` — the 404 a missing thing of that kind gets, audited as denied. An identity
    /// without a jurisdiction (a platform) and a thing without a USCC pass only `.everything`.
    func requireJurisdiction(over uscc: String?, store: RegulatorStore, denied: JurisdictionDenied) async throws {
        let jurisdiction = try scope()
        guard jurisdiction != .everything else { return }
        guard let uscc, jurisdiction.admits(try await store.read({ try $0.jurisdictionFacts(uscc: uscc) })) else { throw denied }
    }
}

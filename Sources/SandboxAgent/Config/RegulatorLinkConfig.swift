/// The `[regulator]` section of agent.conf: where and how the agent syncs with the regulator.
/// Absent or with an empty `url`, the agent runs offline (feeds are written to the outbox).
public struct RegulatorLinkConfig: Sendable {
    /// The regulator's TLS endpoint, CA, client certificate and pinned key.
    public var endpoint: RegulatorEndpoint
    /// The bearer token and HMAC secret, read from their files at load time.
    public var credentials: LinkCredentials
    /// A feed batch is sent once it holds this many records…
    public var batchMaxRecords: Int
    /// …or once its oldest record waited this long.
    public var batchMaxAgeMilliseconds: Int
}

/// Secrets of the regulator link. They never print: `description` and `debugDescription` redact.
public struct LinkCredentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public let token: String
    public let hmacSecret: String
    public var description: String { "LinkCredentials(token: <redacted>, hmac_secret: <redacted>)" }
    public var debugDescription: String { description }
}

/// Where the regulator is and how to trust it: the `[regulator]` settings the connection needs.
///
/// There is deliberately no way to turn certificate verification off: a verification failure is
/// an operator's problem to fix (ca_file, pin), never one to bypass.
public struct RegulatorEndpoint: Sendable {
    /// `https://HOST[:PORT][/PREFIX]`; request paths are appended to it.
    public var baseURL: String
    /// PEM bundle of CAs to trust instead of the system store.
    public var caFile: String?
    /// PEM client certificate for mutual TLS; needs `clientKey`.
    public var clientCertificate: String?
    public var clientKey: String?
    /// `sha256//BASE64` of the regulator's public key (SubjectPublicKeyInfo); several joined by `;`.
    public var pinnedPublicKey: String?
    /// Longest a new connection (TCP and TLS) may take, within each request's own timeout.
    public var connectTimeoutSeconds: Double
    /// Answers larger than this are abandoned, so a broken server cannot exhaust the agent's memory.
    public var maxResponseBytes: Int

    public init(baseURL: String, caFile: String? = nil, clientCertificate: String? = nil, clientKey: String? = nil,
                pinnedPublicKey: String? = nil, connectTimeoutSeconds: Double = 10,
                maxResponseBytes: Int = 16 << 20) {
        self.baseURL = baseURL; self.caFile = caFile
        self.clientCertificate = clientCertificate; self.clientKey = clientKey
        self.pinnedPublicKey = pinnedPublicKey; self.connectTimeoutSeconds = connectTimeoutSeconds
        self.maxResponseBytes = maxResponseBytes
    }
}

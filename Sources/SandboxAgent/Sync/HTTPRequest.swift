/// One request to the regulator: a path under the configured base URL, never a full URL, so a
/// caller cannot send the platform's token to another host.
public struct HTTPRequest: Sendable {
    public enum Method: String, Sendable { case get = "GET", post = "POST" }

    public var method: Method
    /// Starts with `/`, e.g. `/v1/feeds`; appended to the base URL's path.
    public var path: String
    /// Percent-encoded by the connection; order is kept.
    public var query: [(String, String)]
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// The whole exchange (connect, TLS, send, wait, receive) must finish within this.
    public var timeoutSeconds: Double

    public init(method: Method, path: String, query: [(String, String)] = [], headers: [(String, String)] = [],
                body: [UInt8] = [], timeoutSeconds: Double = 30) {
        self.method = method; self.path = path; self.query = query
        self.headers = headers; self.body = body; self.timeoutSeconds = timeoutSeconds
    }
}

/// The regulator's answer: status, headers with lowercased names, and the body.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// In the order received; names lowercased so lookups need not care about case.
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)], body: [UInt8]) {
        self.status = status; self.headers = headers; self.body = body
    }

    /// The first value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.0 == wanted }?.1
    }
}

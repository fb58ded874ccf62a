import SandboxWire

/// POST /v1/admin/directives: what staff ask to send.
public struct NewDirective: Sendable, Equatable, Decodable {
    public var platformID: String
    public var type: String
    public var platformMerchantID: String?
    public var uscc: String?
    public var payload: JSONValue

    public init(platformID: String, type: String, platformMerchantID: String? = nil, uscc: String? = nil, payload: JSONValue) {
        self.platformID = platformID; self.type = type; self.platformMerchantID = platformMerchantID
        self.uscc = uscc; self.payload = payload
    }

    enum CodingKeys: String, CodingKey {
        case platformID = "platform_id", type, platformMerchantID = "platform_merchant_id", uscc, payload
    }
}

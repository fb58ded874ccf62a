/// An order or notice from the regulator to one platform, delivered by long poll in cursor order.
public struct Directive: Sendable, Equatable, Codable {
    public var id: String
    public var cursor: Int64
    public var type: String
    public var platformID: String
    public var platformMerchantID: String?
    public var uscc: String?
    public var payload: JSONValue
    public var createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, cursor, type, payload
        case platformID = "platform_id", platformMerchantID = "platform_merchant_id", uscc
        case createdAt = "created_at"
    }
}

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

/// GET /v1/directives answer.
struct DirectiveList: Encodable {
    var directives: [Directive]
    var nextCursor: Int64
    enum CodingKeys: String, CodingKey { case directives, nextCursor = "next_cursor" }
}

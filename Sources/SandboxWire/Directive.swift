import Foundation

/// An order or notice from the regulator to one platform, delivered by long poll in cursor order
/// (docs/api/openapi.yaml `Directive`). The regulator encodes it and the agent decodes this same
/// type, so the two sides cannot read the wire differently.
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

    public init(id: String, cursor: Int64, type: String, platformID: String, platformMerchantID: String? = nil,
                uscc: String? = nil, payload: JSONValue, createdAt: String) {
        self.id = id; self.cursor = cursor; self.type = type; self.platformID = platformID
        self.platformMerchantID = platformMerchantID; self.uscc = uscc; self.payload = payload; self.createdAt = createdAt
    }

    /// What the agent has always required is required (a non-empty id, the cursor, the type);
    /// the rest has the defaults it always read for a field left out (no payload: an empty one).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        guard !id.isEmpty else {
            throw DecodingError.dataCorruptedError(forKey: .id, in: c, debugDescription: "a directive's id is empty")
        }
        cursor = try c.decode(Int64.self, forKey: .cursor)
        type = try c.decode(String.self, forKey: .type)
        platformID = try c.decodeIfPresent(String.self, forKey: .platformID) ?? ""
        platformMerchantID = try c.decodeIfPresent(String.self, forKey: .platformMerchantID)
        uscc = try c.decodeIfPresent(String.self, forKey: .uscc)
        payload = try c.decodeIfPresent(JSONValue.self, forKey: .payload) ?? .object([:])
        createdAt = try c.decodeIfPresent(String.self, forKey: .createdAt) ?? ""
    }
}

/// GET /v1/directives answer: the directives after the asked cursor, and the cursor to ask next.
public struct DirectiveList: Sendable, Equatable, Codable {
    public var directives: [Directive]
    /// Left out by a regulator that had nothing newer to say: the agent keeps its cursor.
    public var nextCursor: Int64?

    public init(directives: [Directive], nextCursor: Int64?) {
        self.directives = directives
        self.nextCursor = nextCursor
    }

    enum CodingKeys: String, CodingKey { case directives, nextCursor = "next_cursor" }
}

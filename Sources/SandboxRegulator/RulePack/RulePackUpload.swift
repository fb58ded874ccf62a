/// POST /v1/admin/rulepack: the pack as base64 of its exact bytes and its detached signature,
/// the same fields and spelling as the envelope of GET /v1/rulepack.
struct RulePackUpload: Decodable {
    var content: String
    var keyID: String
    var signature: String

    enum CodingKeys: String, CodingKey { case content, keyID = "key_id", signature }
}

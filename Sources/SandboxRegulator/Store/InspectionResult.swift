/// The result of one drawn subject's inspection.
public struct InspectionResult: Sendable, Equatable, Encodable {
    public enum Outcome: String, Sendable, Codable { case pass, problems }
    public var drawID: Int64
    public var uscc: String
    /// `pass` 合格 or `problems` 发现问题.
    public var result: Outcome
    /// What follows a problem (责令整改, 立案 …), in the officer's words.
    public var followUp: String?
    public var inspectors: String?
    public var recordedBy: String
    public var recordedAt: String

    enum CodingKeys: String, CodingKey {
        case uscc, result, inspectors
        case drawID = "draw_id", followUp = "follow_up", recordedBy = "recorded_by", recordedAt = "recorded_at"
    }
}

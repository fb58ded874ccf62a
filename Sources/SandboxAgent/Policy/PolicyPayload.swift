/// An item's bytes as the renderer hands them to the writer: in stored form, or as JSON that the
/// writer compresses with its own codec. Compressing is a tenth of a first pass's CPU; the renderer
/// leaves it to the writer while the writer is waiting for work, so the two threads share it as
/// their loads go (`PolicyRenderer.encodesItems`). Either side's codec gives the same bytes.
enum PolicyPayload {
    case stored([UInt8])
    case json([UInt8], PolicyItemCodec.Dictionary)

    /// The JSON of an item of `type`, encoded now (`encode`) or left to the writer.
    init(_ json: [UInt8], as type: FeedType, codec: PolicyItemCodec?) {
        guard let dictionary = PolicyItemCodec.dictionary(for: json, as: type) else {
            self = .stored(json)
            return
        }
        self.init(json, with: dictionary, codec: codec)
    }

    init(_ json: [UInt8], with dictionary: PolicyItemCodec.Dictionary, codec: PolicyItemCodec?) {
        self = codec.map { .stored($0.encode(json, with: dictionary)) } ?? .json(json, dictionary)
    }

    /// The stored form, compressed here if the renderer left it.
    func stored(by codec: PolicyItemCodec) -> [UInt8] {
        switch self {
        case .stored(let bytes): bytes
        case .json(let json, let dictionary): codec.encode(json, with: dictionary)
        }
    }
}

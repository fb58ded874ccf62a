/// The byte form of a chunk of feed queue entries (`feed_queue.entries`): per entry one type
/// byte, then key, part2, part3, each as a 4-byte little-endian length (0xFFFFFFFF = absent) and
/// its UTF-8 bytes. Pure; the order of entries is the order of the changes.
///
/// A chunk row holds these bytes compressed (`StoredChunk`: Zstandard since schema v15, gzip in
/// v12–v14): thousands of entries that repeat their types, licence kinds and the digits of
/// neighbouring keys keep about a fifth. A chunk queued before v12 starts with its first entry's
/// type byte (1…10) and is read as it is.
enum FeedQueueChunk {
    static let absent: UInt32 = 0xFFFF_FFFF

    static func append(_ type: FeedType, _ key: String, _ part2: String?, _ part3: String?, to out: inout [UInt8]) {
        out.append(code(type))
        for field in [key, part2, part3] {
            guard let field else { appendLength(absent, to: &out); continue }
            appendLength(UInt32(field.utf8.count), to: &out)
            out.append(contentsOf: field.utf8)
        }
    }

    /// The entries of a chunk, in order; nil when the bytes are not a chunk (a damaged row).
    static func decode(_ bytes: [UInt8]) -> [(type: FeedType, key: String, part2: String?, part3: String?)]? {
        var result: [(type: FeedType, key: String, part2: String?, part3: String?)] = []
        var i = 0
        func field() -> String?? {
            guard i + 4 <= bytes.count else { return nil }
            let n = length(bytes, at: i)
            i += 4
            if n == absent { return .some(nil) }
            guard i + Int(n) <= bytes.count else { return nil }
            defer { i += Int(n) }
            return .some(String(decoding: bytes[i..<i + Int(n)], as: UTF8.self))
        }
        while i < bytes.count {
            guard let type = type(bytes[i]) else { return nil }
            i += 1
            guard let key = field(), let key, let part2 = field(), let part3 = field() else { return nil }
            result.append((type, key, part2, part3))
        }
        return result
    }

    /// Hands each entry's bytes to `body` with its position in the chunk, without decoding the
    /// text: for scanning a commit's chunks by hash. False when the bytes are not a chunk.
    static func forEachEntry(in bytes: UnsafeRawBufferPointer, _ body: (Int, UnsafeRawBufferPointer) -> Void) -> Bool {
        var i = 0, index = 0
        while i < bytes.count {
            let start = i
            guard type(bytes[i]) != nil else { return false }
            i += 1
            for _ in 0..<3 {
                guard i + 4 <= bytes.count else { return false }
                let n = length(bytes, at: i)
                i += 4
                if n == absent { continue }
                guard i + Int(n) <= bytes.count else { return false }
                i += Int(n)
            }
            body(index, UnsafeRawBufferPointer(rebasing: bytes[start..<i]))
            index += 1
        }
        return true
    }

    private static func length<C: RandomAccessCollection<UInt8>>(_ bytes: C, at i: Int) -> UInt32 where C.Index == Int {
        UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
    }

    private static func appendLength(_ n: UInt32, to out: inout [UInt8]) {
        out.append(UInt8(n & 0xFF)); out.append(UInt8(n >> 8 & 0xFF))
        out.append(UInt8(n >> 16 & 0xFF)); out.append(UInt8(n >> 24))
    }

    private static func code(_ type: FeedType) -> UInt8 {
        switch type {
        case .merchant: 1
        case .licence: 2
        case .event: 3
        case .findings: 4
        case .receipt: 5
        case .riskClass: 6
        case .roster: 7
        case .policyCase: 8
        case .instruction: 9
        case .prompt: 10
        }
    }

    private static func type(_ code: UInt8) -> FeedType? {
        switch code {
        case 1: .merchant
        case 2: .licence
        case 3: .event
        case 4: .findings
        case 5: .receipt
        case 6: .riskClass
        case 7: .roster
        case 8: .policyCase
        case 9: .instruction
        case 10: .prompt
        default: nil
        }
    }
}

/// Entries queued in the current transaction level and not yet written (see
/// `AgentState.transaction`).
final class FeedQueueBuffer {
    var bytes: [UInt8] = []
    var count = 0
    var firstQueuedAt: Int64 = 0
    /// A full chunk of this level handed off (`AgentState.handOffFeedChunk`): compressed on a
    /// thread of its own, its row written before the next chunk's and at the latest when the
    /// level ends.
    var handedOff: HandedOff?

    struct HandedOff {
        var count: Int
        var firstQueuedAt: Int64
        var compression: ChunkCompression
    }

    /// Drops the level's entries, handed off or not (a rolled-back level).
    func clear() {
        bytes.removeAll(keepingCapacity: true)
        count = 0
        handedOff = nil
    }
}

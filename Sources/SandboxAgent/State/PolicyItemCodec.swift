import CZlib

/// The stored form of the policy's feed items (`policy_items.data`) and of the roster's history
/// (`roster_history.record`), schema v11 (issue 16): the item's JSON, raw-deflated against a
/// preset dictionary of items like it (`PolicyItemDictionaries.swift`), behind one byte naming
/// the dictionary. A first pass at 469,000 merchants stored 530 MB of item JSON, items that differ
/// from one another in a few values; against a dictionary a class item of 283 bytes keeps 16, a
/// roster item of 522 keeps 10.
///
/// What is stored decodes to the very bytes that were encoded, so the lines rendered for the
/// regulator (`FeedLineRenderer`), their content hash and everything read back are what they were
/// with the JSON stored: the wire does not change. Data that starts with `{` is JSON as agents
/// before v11 stored it, and is read as it is; so is an item that would not come out smaller.
///
/// One codec per thread: it keeps its zlib streams (and their buffers) between items.
final class PolicyItemCodec {
    /// The first byte of an encoded item: which dictionary it was deflated against.
    enum Dictionary: UInt8, CaseIterable {
        case classItems = 1, rosterItems, instructionItems, caseItems, promptItems
        /// Not feed items (schema v12): a case's stored record (`cases.record`), a class decision's
        /// summary in `class_history.explanation`.
        case caseRecords, classSummaries

        var bytes: [UInt8] {
            switch self {
            case .classItems: PolicyItemCodec.classItems
            case .rosterItems: PolicyItemCodec.rosterItems
            case .instructionItems: PolicyItemCodec.instructionItems
            case .caseItems: PolicyItemCodec.caseItems
            case .promptItems: PolicyItemCodec.promptItems
            case .caseRecords: PolicyItemCodec.caseRecords
            case .classSummaries: PolicyItemCodec.classSummaries
            }
        }

        init?(_ type: FeedType) {
            switch type {
            case .riskClass: self = .classItems
            case .roster: self = .rosterItems
            case .instruction: self = .instructionItems
            case .policyCase: self = .caseItems
            case .prompt: self = .promptItems
            default: return nil
            }
        }
    }

    /// zlib keeps a pointer back to its z_stream and checks it on every call: fixed addresses.
    private var deflater: UnsafeMutablePointer<z_stream>?
    private var inflater: UnsafeMutablePointer<z_stream>?
    /// Per large dictionary, a stream that has taken it once; each item deflates in a copy of it.
    private var primed: [UnsafeMutablePointer<z_stream>?] = Array(repeating: nil, count: Dictionary.allCases.count)
    /// The copy's z_stream: its buffers are allocated by deflateCopy and freed by deflateEnd per item.
    private let copy: UnsafeMutablePointer<z_stream> = {
        let c = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        c.initialize(to: z_stream())
        return c
    }()
    private var output = [UInt8](repeating: 0, count: 16_384)
    private let dictionaries = Dictionary.allCases.map(\.bytes)

    /// zlib's level for items (session 22, docs/benchmarks.md): level 3 finds the long matches
    /// against the dictionary that make an item small (about 10 % more bytes than level 6) and
    /// costs 20–30 % less CPU per item than 6's longer hash chains and lazy matching.
    static let level: Int32 = 3
    /// Setting a dictionary hashes every one of its bytes, per item: 3.5–18 KB for a few hundred
    /// bytes of item. From this size on, a copy of a stream primed once costs less; below it,
    /// setting the dictionary does.
    static let primedFrom = 3_000

    /// The window a primed stream needs: its dictionary and an item of a few KB. deflateCopy copies
    /// the whole window (twice its size) and its chain (as much again) whatever they hold: with
    /// the full 32 KB window a class item's copy moved 150 KB for 283 bytes of item, 7 % of a first
    /// pass's CPU. The inflater's full window reads what a smaller one wrote.
    static func windowBits(forDictionary size: Int) -> Int32 {
        var bits: Int32 = 9
        while bits < 15 && 1 << bits < size + 2_048 { bits += 1 }
        return bits
    }

    init() {}

    deinit {
        if let d = deflater { deflateEnd(d); d.deinitialize(count: 1); d.deallocate() }
        if let i = inflater { inflateEnd(i); i.deinitialize(count: 1); i.deallocate() }
        for case let p? in primed { deflateEnd(p); p.deinitialize(count: 1); p.deallocate() }
        copy.deinitialize(count: 1)
        copy.deallocate()
    }

    /// The stored form of an item of `type`'s JSON (the JSON itself for a type without a dictionary,
    /// an empty item, or one that would not come out smaller).
    func encode(_ json: [UInt8], as type: FeedType) -> [UInt8] {
        guard !json.isEmpty, let dictionary = Dictionary(type) else { return json }
        return encode(json, with: dictionary)
    }

    func encode(_ json: [UInt8], with dictionary: Dictionary) -> [UInt8] {
        guard !json.isEmpty else { return json }
        let stream: UnsafeMutablePointer<z_stream>
        if let source = primedStream(dictionary) {
            let status = deflateCopy(copy, source)
            precondition(status == Z_OK, "zlib deflateCopy failed (\(status)): out of memory")
            stream = copy
        } else {
            stream = deflateStream()
            var status = deflateReset(stream)
            precondition(status == Z_OK, "zlib deflateReset failed (\(status))")
            dictionaries[Int(dictionary.rawValue) - 1].withUnsafeBufferPointer {
                status = deflateSetDictionary(stream, $0.baseAddress, uInt($0.count))
            }
            precondition(status == Z_OK, "zlib deflateSetDictionary failed (\(status))")
        }
        defer { if stream == copy { deflateEnd(copy) } }
        let bound = Int(deflateBound(stream, uLong(json.count))) + 1
        if output.count < bound { output = [UInt8](repeating: 0, count: bound) }
        let produced: Int = json.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                out[0] = dictionary.rawValue
                stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.pointee.avail_in = uInt(input.count)
                stream.pointee.next_out = out.baseAddress! + 1
                stream.pointee.avail_out = uInt(out.count - 1)
                // deflateBound is enough for one Z_FINISH call.
                let result = deflate(stream, Z_FINISH)
                precondition(result == Z_STREAM_END, "zlib deflate failed (\(result))")
                return out.count - Int(stream.pointee.avail_out)
            }
        }
        return produced < json.count ? Array(output[..<produced]) : json
    }

    /// The item's JSON; nil for bytes no agent stored (an unknown first byte, a broken stream).
    func decode(_ stored: [UInt8]) -> [UInt8]? {
        guard let first = stored.first, first != 0x7b else { return stored }
        guard let dictionary = Dictionary(rawValue: first) else { return nil }
        let stream = inflateStream()
        guard inflateReset(stream) == Z_OK else { return nil }
        var result: [UInt8] = []
        var status: Int32 = Z_OK
        stored.withUnsafeBufferPointer { input in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + 1)
            stream.pointee.avail_in = uInt(input.count - 1)
            // A raw stream takes its dictionary before the first call (a zlib stream asks for it).
            status = dictionaries[Int(dictionary.rawValue) - 1].withUnsafeBufferPointer {
                inflateSetDictionary(stream, $0.baseAddress, uInt($0.count))
            }
            guard status == Z_OK else { return }
            repeat {
                output.withUnsafeMutableBufferPointer { out in
                    stream.pointee.next_out = out.baseAddress!
                    stream.pointee.avail_out = uInt(out.count)
                    status = inflate(stream, Z_NO_FLUSH)
                    result.append(contentsOf: out[..<(out.count - Int(stream.pointee.avail_out))])
                }
            } while status == Z_OK
        }
        guard status == Z_STREAM_END, stream.pointee.avail_in == 0 else { return nil }
        return result
    }

    private func deflateStream() -> UnsafeMutablePointer<z_stream> {
        if let d = deflater { return d }
        let d = Self.newDeflateStream()
        deflater = d
        return d
    }

    /// The stream primed with a large dictionary (nil for a small one: it is set per item).
    private func primedStream(_ dictionary: Dictionary) -> UnsafeMutablePointer<z_stream>? {
        let index = Int(dictionary.rawValue) - 1
        if let p = primed[index] { return p }
        guard dictionaries[index].count >= Self.primedFrom else { return nil }
        let p = Self.newDeflateStream(windowBits: Self.windowBits(forDictionary: dictionaries[index].count))
        let status = dictionaries[index].withUnsafeBufferPointer { deflateSetDictionary(p, $0.baseAddress, uInt($0.count)) }
        precondition(status == Z_OK, "zlib deflateSetDictionary failed (\(status))")
        primed[index] = p
        return p
    }

    private static func newDeflateStream(windowBits: Int32 = 15) -> UnsafeMutablePointer<z_stream> {
        let d = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        d.initialize(to: z_stream())
        // Raw deflate (no header or checksum: the row is its own frame), a window that holds the
        // dictionary, memLevel 5 (a smaller hash to clear and copy per item, the same bytes here).
        let status = deflateInit2_(d, level, Z_DEFLATED, -windowBits, 5, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                                   Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "zlib deflateInit2 failed (\(status)): out of memory")
        return d
    }

    private func inflateStream() -> UnsafeMutablePointer<z_stream> {
        if let i = inflater { return i }
        let i = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        i.initialize(to: z_stream())
        let status = czlib_inflate_init2(i, -15)
        precondition(status == Z_OK, "zlib inflateInit2 failed (\(status)): out of memory")
        inflater = i
        return i
    }
}

import CZlib
import CZstd

/// The stored form of the policy's feed items (`policy_items.data`), the roster's history
/// (`roster_history.record`), case records and class summaries: the JSON compressed against a
/// preset dictionary of items like it (`PolicyItemDictionaries.swift`), behind one byte naming
/// the dictionary and the compressor. A first pass at 469,000 merchants stores 636 MB of such
/// JSON in items that differ from one another in a few values; against a dictionary a class item
/// of 283 bytes keeps a few dozen.
///
/// - Schema v17: a magicless Zstandard frame (no size, checksum or dictionary id: the row is its
///   frame, the first byte names the dictionary) against the dictionary with its entropy tables
///   (`PolicyItemDictionaryTables.swift`), first byte 0x88 | the dictionary's number (0x89…0x8F).
///   At level 3 the 1,564,998 items of a first pass compress in 1.6 s of CPU to 62.0 MB (level 4:
///   2.5 s, 50.9 MB; against the content alone 3.65 s and 57.4 MB; zlib: 12–14 s, 47 MB;
///   `scripts/bench-item-codec`, docs/benchmarks.md): each dictionary is digested once per codec,
///   not per item. The level is the writer's choice alone: any level decodes the same way.
/// - Schema v15–v16: the same frame against the dictionary's content alone, first byte 0x80 | the
///   dictionary's number (0x81…0x87); read, never written.
/// - Schema v11–v14: raw deflate, first byte the dictionary's number (1…7); read, never written.
/// - Data that starts with `{` is JSON as agents before v11 stored it, and is read as it is; so is
///   an item that would not come out smaller.
///
/// What is stored decodes to the very bytes that were encoded, so the lines rendered for the
/// regulator (`FeedLineRenderer`), their content hash and everything read back are what they were
/// with the JSON stored: the wire does not change.
///
/// One codec per thread: it keeps its contexts and digested dictionaries between items.
final class PolicyItemCodec {
    /// Which dictionary an item is compressed against (the low bits of its first byte).
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

        /// Whether items against this dictionary are often the very same JSON, so that a stored
        /// form is worth remembering (`RepeatedItems`). The items of a first pass at 469,000
        /// merchants: the 250,437 roster items are one JSON, the 131,506 prompt items three, the
        /// 469,000 class items 30,511 (a class, its points and the indicators' values, stamped with
        /// the pass's time); every case and instruction item and case record names its own id.
        var itemsRepeat: Bool {
            switch self {
            case .classItems, .rosterItems, .promptItems: true
            case .instructionItems, .caseItems, .caseRecords, .classSummaries: false
            }
        }

        /// The first byte of an item compressed with Zstandard against this dictionary and its
        /// entropy tables (schema v17): what the codec writes.
        var zstdByte: UInt8 { Self.zstd | Self.withTables | rawValue }
        static let zstd: UInt8 = 0x80
        static let withTables: UInt8 = 0x08
    }

    /// Zstandard's level for items. With the tables, over a first pass's items (session 32,
    /// `scripts/bench-item-codec`, per dictionary): level 3 keeps 62.0 MB in 1.6 s of CPU, level 4
    /// 50.9 MB in 2.5 s, level 1 74.4 MB in 1.7 s. A first pass is CPU-bound and its state stays
    /// under its 1 GB target (847 → 864 MiB at 469,000 merchants), so 11 MB buy 0.9 s of CPU.
    /// Level 3 is faster than 4 on every dictionary: for inputs this small (libzstd's table for
    /// 16 KB and less) level 4 is its greedy search and level 3 its double-fast hash; and it is no
    /// slower than 1.
    static let level: Int32 = 3

    private let compressor: OpaquePointer
    /// Per dictionary, the stored forms of the items met lately (`RepeatedItems`); used for the
    /// dictionaries whose items repeat.
    private var repeated = [RepeatedItems](repeating: RepeatedItems(), count: Dictionary.allCases.count)
    private var decompressor: OpaquePointer?
    /// Per dictionary with its tables, digested once, on first use.
    private var compressionDictionaries = [OpaquePointer?](repeating: nil, count: Dictionary.allCases.count)
    /// Per dictionary, with its tables (the first half) and its content alone (the second half),
    /// digested once, on first use.
    private var decompressionDictionaries = [OpaquePointer?](repeating: nil, count: 2 * Dictionary.allCases.count)
    /// zlib keeps a pointer back to its z_stream and checks it on every call: a fixed address.
    private var inflater: UnsafeMutablePointer<z_stream>?
    private var output = [UInt8](repeating: 0, count: 16_384)
    private let dictionaries = Dictionary.allCases.map(\.bytes)
    /// The dictionaries with their entropy tables, decoded once for every codec.
    private static let dictionariesWithTables = Dictionary.allCases.map(\.withTablesBytes)

    init() {
        // Only out of memory fails here.
        guard let c = ZSTD_createCCtx() else { preconditionFailure("zstd: out of memory for a compression context") }
        // A frame without its magic, size, checksum or dictionary id: the first byte names the dictionary.
        for status in [czstd_compress_magicless(c), ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, 0),
                       ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 0), ZSTD_CCtx_setParameter(c, ZSTD_c_dictIDFlag, 0)] {
            Zstd.succeeded(status, "set a frame parameter")
        }
        compressor = c
    }

    deinit {
        ZSTD_freeCCtx(compressor)
        if let d = decompressor { ZSTD_freeDCtx(d) }
        for case let d? in compressionDictionaries { ZSTD_freeCDict(d) }
        for case let d? in decompressionDictionaries { ZSTD_freeDDict(d) }
        if let i = inflater { inflateEnd(i); i.deinitialize(count: 1); i.deallocate() }
    }

    /// The stored form of an item of `type`'s JSON (the JSON itself for a type without a dictionary,
    /// an empty item, or one that would not come out smaller).
    func encode(_ json: [UInt8], as type: FeedType) -> [UInt8] {
        guard let dictionary = Self.dictionary(for: json, as: type) else { return json }
        return encode(json, with: dictionary)
    }

    /// The dictionary an item of `type` is compressed against; nil: it is stored as its JSON (a
    /// type without a dictionary, or an empty item).
    static func dictionary(for json: [UInt8], as type: FeedType) -> Dictionary? {
        json.isEmpty ? nil : Dictionary(type)
    }

    func encode(_ json: [UInt8], with dictionary: Dictionary) -> [UInt8] {
        guard !json.isEmpty else { return json }
        guard dictionary.itemsRepeat else { return compressed(json, with: dictionary) }
        return repeated[Int(dictionary.rawValue) - 1].stored(json) { compressed(json, with: dictionary) }
    }

    /// Zstandard with the dictionary's digest, behind the byte naming it; the JSON itself when
    /// that is no larger.
    private func compressed(_ json: [UInt8], with dictionary: Dictionary) -> [UInt8] {
        let digested = compressionDictionary(dictionary)
        let bound = ZSTD_compressBound(json.count) + 1
        if output.count < bound { output = [UInt8](repeating: 0, count: bound) }
        Zstd.succeeded(ZSTD_CCtx_refCDict(compressor, digested), "take a dictionary")
        let produced = json.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { out in
                ZSTD_compress2(compressor, out.baseAddress! + 1, out.count - 1, input.baseAddress, input.count)
            }
        }
        // Only a destination smaller than the bound can fail, and it is the bound.
        Zstd.succeeded(produced, "compress")
        guard 1 + produced < json.count else { return json }
        output[0] = dictionary.zstdByte
        return Array(output[..<(1 + produced)])
    }

    /// The item's JSON; nil for bytes no agent stored (an unknown first byte, a broken frame).
    func decode(_ stored: [UInt8]) -> [UInt8]? {
        guard let first = stored.first, first != 0x7b else { return stored }
        if first & Dictionary.zstd != 0 {
            let number = first & ~(Dictionary.zstd | Dictionary.withTables)
            guard first & ~(Dictionary.zstd | Dictionary.withTables | 0x07) == 0,
                  let dictionary = Dictionary(rawValue: number) else { return nil }
            return decompress(stored, with: dictionary, tables: first & Dictionary.withTables != 0)
        }
        guard let dictionary = Dictionary(rawValue: first) else { return nil }
        return inflated(stored, with: dictionary)
    }

    private func decompress(_ stored: [UInt8], with dictionary: Dictionary, tables: Bool) -> [UInt8]? {
        let context: OpaquePointer
        if let d = decompressor {
            context = d
        } else {
            guard let d = ZSTD_createDCtx() else { return nil }
            guard ZSTD_isError(czstd_decompress_magicless(d)) == 0 else { ZSTD_freeDCtx(d); return nil }
            decompressor = d
            context = d
        }
        guard ZSTD_isError(ZSTD_DCtx_reset(context, ZSTD_reset_session_only)) == 0,
              ZSTD_isError(ZSTD_DCtx_refDDict(context, decompressionDictionary(dictionary, tables: tables))) == 0 else { return nil }
        var result: [UInt8] = []
        let ended: Bool = stored.withUnsafeBytes { input in
            var source = ZSTD_inBuffer(src: input.baseAddress! + 1, size: input.count - 1, pos: 0)
            while true {
                let (status, filled): (Int, Bool) = output.withUnsafeMutableBytes { out in
                    var target = ZSTD_outBuffer(dst: out.baseAddress, size: out.count, pos: 0)
                    let status = ZSTD_decompressStream(context, &target, &source)
                    result.append(contentsOf: out[..<target.pos])
                    return (status, target.pos == out.count)
                }
                if ZSTD_isError(status) != 0 { return false }
                // 0: the frame is complete, and must be all there is. Otherwise it wants more room
                // (a full buffer) or more input (a cut frame, when all input is taken).
                if status == 0 { return source.pos == source.size }
                if !filled && source.pos == source.size { return false }
            }
        }
        return ended ? result : nil
    }

    private func compressionDictionary(_ dictionary: Dictionary) -> OpaquePointer {
        let index = Int(dictionary.rawValue) - 1
        if let d = compressionDictionaries[index] { return d }
        let d = Self.dictionariesWithTables[index].withUnsafeBytes { ZSTD_createCDict($0.baseAddress, $0.count, Self.level) }
        guard let d else { preconditionFailure("zstd: out of memory for a dictionary") }
        compressionDictionaries[index] = d
        return d
    }

    private func decompressionDictionary(_ dictionary: Dictionary, tables: Bool) -> OpaquePointer? {
        let number = Int(dictionary.rawValue) - 1
        let index = tables ? number : Dictionary.allCases.count + number
        if let d = decompressionDictionaries[index] { return d }
        let bytes = tables ? Self.dictionariesWithTables[number] : dictionaries[number]
        let d = bytes.withUnsafeBytes { ZSTD_createDDict($0.baseAddress, $0.count) }
        decompressionDictionaries[index] = d
        return d
    }

    /// An item stored by an agent of schema v11–v14: raw deflate against the dictionary.
    private func inflated(_ stored: [UInt8], with dictionary: Dictionary) -> [UInt8]? {
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

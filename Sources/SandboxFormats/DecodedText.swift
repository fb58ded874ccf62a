#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The text of a byte source as UTF-8, whatever encoding it came in (UTF-8, GB18030, or auto).
///
/// Undecodable bytes do not stop reading: each is replaced by U+FFFD and its output offset is
/// remembered, so the reader can reject just the row that holds it.
final class DecodedText {
    private enum Mode { case undecided, utf8, gb18030 }

    /// A NUL or many control bytes in this many leading bytes mean "binary, not text".
    static let sniffLength = 64 * 1024
    /// Bytes looked at, from the first non-ASCII byte, before auto mode decides on an encoding.
    static let lookahead = 4096

    private let source: ByteSource
    private let chunkSize: Int
    private var mode: Mode
    private let raw: UnsafeMutablePointer<UInt8>
    private let rawCapacity: Int
    private var rawStart = 0
    private var rawEnd = 0
    private var sourceDone = false
    private var rawRead = 0
    private var controlBytes = 0
    private var gb: Transcoder?
    /// Total UTF-8 bytes handed out so far.
    private(set) var produced = 0
    /// Output offsets of U+FFFD replacements not yet claimed by the reader, oldest first.
    private var invalid: [Int] = []
    private var invalidHead = 0

    init(source: ByteSource, encoding: TextEncoding, chunkSize: Int) {
        self.source = source
        self.chunkSize = max(chunkSize, 1)
        switch encoding {
        case .auto: mode = .undecided
        case .utf8: mode = .utf8
        case .gb18030: mode = .gb18030
        }
        rawCapacity = self.chunkSize + DecodedText.lookahead + 8
        raw = .allocate(capacity: rawCapacity)
    }

    deinit { raw.deallocate() }

    /// The encoding in use, for messages ("UTF-8" until auto mode has seen GB18030 bytes).
    var encodingName: String { mode == .gb18030 ? "GB18030" : "UTF-8" }

    /// Writes the next UTF-8 bytes to `out` (capacity at least 4) and returns how many; 0 at the end.
    func fill(into out: UnsafeMutablePointer<UInt8>, capacity: Int) throws(UnreadableFile) -> Int {
        precondition(capacity >= 4, "DecodedText.fill needs room for one character")
        while true {
            if rawStart == rawEnd {
                if sourceDone { return 0 }
                try readRaw()
                continue
            }
            let before = mode
            let n = mode == .gb18030
                ? try fillGB18030(into: out, capacity: capacity)
                : try fillUTF8(into: out, capacity: capacity)
            if n > 0 {
                produced += n
                return n
            }
            if mode != before { continue }
            // The pending bytes end inside a character: read on (or, at the end, they become U+FFFD).
            try readRaw()
        }
    }

    /// Whether a replaced (undecodable) byte lies in `range` of output offsets. Forgets every
    /// replacement before `range.upperBound`: ranges must be asked about in increasing order.
    func hasInvalid(in range: Range<Int>) -> Bool {
        var found = false
        while invalidHead < invalid.count, invalid[invalidHead] < range.upperBound {
            if invalid[invalidHead] >= range.lowerBound { found = true }
            invalidHead += 1
        }
        if invalidHead == invalid.count {
            invalid.removeAll(keepingCapacity: true)
            invalidHead = 0
        }
        return found
    }

    /// Appends the next chunk of the source after the pending bytes.
    private func readRaw() throws(UnreadableFile) {
        if sourceDone { return }
        if rawStart > 0 {
            if rawEnd > rawStart { memmove(raw, raw + rawStart, rawEnd - rawStart) }
            rawEnd -= rawStart
            rawStart = 0
        }
        let room = min(chunkSize, rawCapacity - rawEnd)
        let n = try source.read(into: UnsafeMutableRawBufferPointer(start: raw + rawEnd, count: room))
        if n == 0 {
            sourceDone = true
            return
        }
        if rawRead < DecodedText.sniffLength {
            try checkText(raw + rawEnd, count: min(n, DecodedText.sniffLength - rawRead))
        }
        rawRead += n
        rawEnd += n
    }

    /// Refuses binary files early, before they become thousands of "malformed rows".
    private func checkText(_ p: UnsafeMutablePointer<UInt8>, count: Int) throws(UnreadableFile) {
        for i in 0..<count {
            let b = p[i]
            if b >= 0x20 { continue }
            if b == 0 { throw UnreadableFile("binary file, not CSV/JSON Lines text (NUL byte at byte \(rawRead + i + 1)); export the data as CSV or JSON Lines") }
            if b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C && b != 0x1B { controlBytes += 1 }
        }
        let seen = rawRead + count
        if controlBytes > 16 && controlBytes * 20 > seen {
            throw UnreadableFile("binary file, not CSV/JSON Lines text (\(controlBytes) control bytes in the first \(seen) bytes); export the data as CSV or JSON Lines")
        }
    }

    // MARK: UTF-8

    /// Length of the valid UTF-8 sequence at `p`, 0 if `available` ends inside a valid prefix,
    /// -1 if invalid (overlong, surrogate, above U+10FFFF, bad continuation).
    @inline(__always)
    private static func sequenceLength(_ p: UnsafeMutablePointer<UInt8>, available: Int) -> Int {
        let b0 = p[0]
        let len: Int
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF  // allowed range of the second byte
        switch b0 {
        case 0xC2...0xDF: len = 2
        case 0xE0: len = 3; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: len = 3
        case 0xED: len = 3; hi = 0x9F
        case 0xF0: len = 4; lo = 0x90
        case 0xF1...0xF3: len = 4
        case 0xF4: len = 4; hi = 0x8F
        default: return -1
        }
        if available < 2 { return 0 }
        if p[1] < lo || p[1] > hi { return -1 }
        for k in 2..<len {
            if k >= available { return 0 }
            if p[k] & 0xC0 != 0x80 { return -1 }
        }
        return len
    }

    private func fillUTF8(into out: UnsafeMutablePointer<UInt8>, capacity: Int) throws(UnreadableFile) -> Int {
        if mode == .undecided && raw[rawStart] >= 0x80 {
            try decide()
            if mode == .gb18030 { return 0 }
        }
        let p = raw + rawStart
        let avail = rawEnd - rawStart
        var limit = min(avail, capacity)
        var i = 0, seg = 0, outN = 0
        // Locals, not stored properties, in the loop: those cost an exclusivity check each.
        let undecided = mode == .undecided
        let atEndOfSource = sourceDone
        scan: while i < limit {
            let b = p[i]
            if b < 0x80 {
                i += 1
                // ASCII runs, eight bytes at a time.
                while i + 8 <= limit,
                      UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                }
                continue
            }
            if undecided { break }  // decide on the next call, with lookahead
            // Most Chinese text: a three-byte sequence E1…EC / EE…EF (no surrogate or overlong
            // checks needed) with two continuation bytes.
            if b >= 0xE1 && b != 0xED && i + 3 <= limit && b <= 0xEF
                && (p[i + 1] ^ 0x80) < 0x40 && (p[i + 2] ^ 0x80) < 0x40 {
                i += 3
                continue
            }
            let r = DecodedText.sequenceLength(p + i, available: avail - i)
            if r > 0 {
                if i + r > limit { break scan }
                i += r
                continue
            }
            if r == 0 && !atEndOfSource { break scan }
            // Invalid, or cut off by the end of the file: U+FFFD, and the row holding it is rejected.
            let keep = i - seg
            if outN + keep + 3 > capacity { break scan }
            if keep > 0 { memcpy(out + outN, p + seg, keep) }
            outN += keep
            out[outN] = 0xEF; out[outN + 1] = 0xBF; out[outN + 2] = 0xBD
            invalid.append(produced + outN)
            outN += 3
            i += r == 0 ? avail - i : 1
            seg = i
            limit = min(avail, i + (capacity - outN))
        }
        let keep = i - seg
        if keep > 0 { memcpy(out + outN, p + seg, keep) }
        outN += keep
        rawStart += i
        return outN
    }

    /// Auto mode met its first non-ASCII byte: UTF-8 if what follows is valid UTF-8, else GB18030.
    ///
    /// GBK text can start with characters that happen to be valid UTF-8 (说 is CB B5), but not
    /// with several: a few valid multibyte characters before an invalid byte mean UTF-8 text with
    /// a damaged row, which that row's rejection reports.
    private func decide() throws(UnreadableFile) {
        while rawEnd - rawStart < DecodedText.lookahead && !sourceDone { try readRaw() }
        let p = raw + rawStart
        let avail = rawEnd - rawStart
        var i = 0
        var multibyte = 0
        while i < avail {
            if p[i] < 0x80 { i += 1; continue }
            let r = DecodedText.sequenceLength(p + i, available: avail - i)
            if r > 0 { i += r; multibyte += 1; continue }
            if r == 0 && !sourceDone { break }
            mode = multibyte >= DecodedText.convincingUTF8 ? .utf8 : .gb18030
            return
        }
        mode = .utf8
    }

    /// Valid UTF-8 characters that settle auto mode on UTF-8 even if an invalid byte follows.
    static let convincingUTF8 = 4

    // MARK: GB18030

    private func fillGB18030(into out: UnsafeMutablePointer<UInt8>, capacity: Int) throws(UnreadableFile) -> Int {
        if gb == nil {
            do { gb = try Transcoder(from: "GB18030", to: "UTF-8") } catch {
                throw UnreadableFile("this system's iconv cannot decode GB18030 (\(error)); save the file as UTF-8")
            }
        }
        let step = gb!.convert(UnsafeRawBufferPointer(start: raw + rawStart, count: rawEnd - rawStart),
                               into: UnsafeMutableRawBufferPointer(start: out, count: capacity))
        rawStart += step.consumed
        var n = step.produced
        switch step.stop {
        case .done, .outputFull:
            break
        case .incompleteInput:
            if !sourceDone { return n }
            if capacity - n >= 3 { replace(at: out + n, offset: n); n += 3; rawStart = rawEnd }
        case .invalidInput:
            if capacity - n >= 3 { replace(at: out + n, offset: n); n += 3; rawStart += 1 }
        }
        return n
    }

    private func replace(at p: UnsafeMutablePointer<UInt8>, offset: Int) {
        p[0] = 0xEF; p[1] = 0xBF; p[2] = 0xBD
        invalid.append(produced + offset)
    }
}

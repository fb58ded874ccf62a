#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A bounded window on decoded UTF-8 text that the readers scan in place.
///
/// The window keeps the unfinished record and appends the next chunk after it, so memory is
/// `maxRecordBytes + 2 × chunkSize` whatever the file size. A leading byte-order mark is skipped.
final class TextBuffer {
    let text: DecodedText
    let bytes: UnsafeMutablePointer<UInt8>
    let capacity: Int
    private let fillSize: Int
    /// First byte not yet consumed.
    var start = 0
    /// One past the last decoded byte in the window.
    private(set) var end = 0
    /// Offset in the decoded text of `bytes[0]`.
    private(set) var base = 0
    /// The decoded text is over: `end` is the end of the file.
    private(set) var atEnd = false
    private var bomChecked = false

    init(text: DecodedText, chunkSize: Int, maxRecordBytes: Int) {
        self.text = text
        fillSize = max(chunkSize, 16)
        capacity = maxRecordBytes + 2 * fillSize + 64
        bytes = .allocate(capacity: capacity)
    }

    deinit { bytes.deallocate() }

    /// Drops the bytes before `from` and appends more text. False when nothing was added:
    /// the text is over (`atEnd`), or the window is full of one unfinished record.
    func refill(keepingFrom from: Int) throws(UnreadableFile) -> Bool {
        if from > 0 {
            if end > from { memmove(bytes, bytes + from, end - from) }
            end -= from
            start = max(start - from, 0)
            base += from
        }
        if atEnd { return false }
        var added = false
        repeat {
            let room = min(capacity - end, fillSize)
            if room < 16 { return added }
            let n = try text.fill(into: bytes + end, capacity: room)
            if n == 0 { atEnd = true; break }
            end += n
            added = true
        } while !bomChecked && base + end < 3
        if !bomChecked {
            bomChecked = true
            if base == 0 && end >= 3 && start == 0
                && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
                start = 3
            }
        }
        return added
    }

    /// Whether the text in `bytes[from..<to]` had undecodable bytes (replaced by U+FFFD).
    func hadInvalidText(from: Int, to: Int) -> Bool {
        text.hasInvalid(in: (base + from)..<(base + to))
    }

    /// Offset in the decoded text of `bytes[i]`.
    func offset(_ i: Int) -> Int { base + i }
}

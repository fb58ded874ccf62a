/// Finding a run of bytes in a buffer (a multipart boundary, a word in a stored record) without
/// decoding the buffer into a string first.
enum ByteSearch {
    /// Where `needle` first starts in `haystack` at or after `start`; nil when it does not.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var i = start
        while i <= haystack.count - needle.count {
            if haystack[i] == first, haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

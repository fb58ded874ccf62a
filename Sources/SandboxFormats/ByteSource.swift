/// A stream of raw bytes read in chunks: a file, or a file seen through gzip.
public protocol ByteSource: AnyObject {
    /// Fills the start of `buffer` with the next bytes and returns how many; 0 only at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(UnreadableFile) -> Int
}

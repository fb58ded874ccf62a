import Foundation
import SandboxFormats

/// Reading back what the agent gzipped (feed batches, feed files), through the agent's own gzip
/// reader — the reader the regulator's side of the tests trusts too.
public enum GzipReading {
    /// The bytes `gzip` decompresses to.
    public static func inflate(_ gzip: [UInt8]) throws -> [UInt8] {
        let reader = try GzipBytes(source: MemoryBytes(gzip))
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = try buffer.withUnsafeMutableBytes { try reader.read(into: $0) }
            if n == 0 { return out }
            out += buffer[0..<n]
        }
    }

    /// The JSON objects of gzipped JSON Lines, in order.
    public static func jsonLines(_ gzip: [UInt8]) throws -> [[String: Any]] {
        try String(decoding: inflate(gzip), as: UTF8.self).split(separator: "\n").map {
            guard let object = try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] else {
                throw NotAnObject(line: String($0))
            }
            return object
        }
    }

    /// The JSON objects of a gzipped JSON Lines file.
    public static func jsonLines(file: URL) throws -> [[String: Any]] {
        try jsonLines(Array(Data(contentsOf: file)))
    }

    struct NotAnObject: Error, CustomStringConvertible {
        let line: String
        var description: String { "not a JSON object: \(line)" }
    }
}

/// Bytes in memory as a ByteSource, for the gzip reader.
public final class MemoryBytes: ByteSource {
    var bytes: [UInt8]
    var offset = 0
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(UnreadableFile) -> Int {
        let n = min(buffer.count, bytes.count - offset)
        buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes.withUnsafeBytes { $0 }[offset..<offset + n]))
        offset += n
        return n
    }
}

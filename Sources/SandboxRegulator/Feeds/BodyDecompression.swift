import SandboxFormats

/// Undoes the gzip of a request body, refusing to inflate past a limit (a gzip bomb of a few
/// kilobytes must not take the server's memory).
enum BodyDecompression {
    enum Failure: Error, Equatable {
        case tooLarge(limit: Int)
        case corrupt(String)
    }

    static func gunzip(_ body: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        let stream: GzipBytes
        do throws(UnreadableFile) { stream = try GzipBytes(source: MemoryBytes(body), chunkSize: 64 * 1024) } catch {
            throw .corrupt(error.reason)
        }
        var output: [UInt8] = []
        output.reserveCapacity(min(limit, max(body.count * 4, 4096)))
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let n: Int
            do throws(UnreadableFile) { n = try stream.read(into: chunk) } catch {
                throw .corrupt(error.reason)
            }
            if n == 0 { break }
            guard output.count + n <= limit else { throw .tooLarge(limit: limit) }
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<n]))
        }
        return output
    }

    /// True when the bytes start like gzip (1f 8b).
    static func looksGzipped(_ body: [UInt8]) -> Bool {
        body.count >= 2 && body[0] == 0x1F && body[1] == 0x8B
    }
}

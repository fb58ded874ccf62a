import CZlib
import Foundation
import SandboxCore
import XCTest
@testable import SandboxFormats

/// A temporary directory of test files, removed when the test that made it ends.
///
/// XCTest keeps every test case object until the process exits, so a `deinit` never ran and each
/// run left one folder per test in /tmp; the teardown block removes it when its test ends.
final class Scratch {
    let directory: String
    private var counter = 0

    init(for test: XCTestCase) {
        let directory = NSTemporaryDirectory() + "formats-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(atPath: directory) }
        self.directory = directory
    }

    func write(_ bytes: [UInt8], name: String? = nil) -> String {
        counter += 1
        let path = directory + "/" + (name ?? "file\(counter).csv")
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    func write(_ text: String, name: String? = nil) -> String { write(Array(text.utf8), name: name) }
}

/// Everything a reader yields, as comparable values.
enum Item: Equatable, CustomStringConvertible {
    case row(Int, [String])
    case bad(Int, String?, String)

    var description: String {
        switch self {
        case .row(let line, let values): "row(\(line), \(values))"
        case .bad(let line, let column, let reason): "bad(\(line), \(column ?? "-"), \(reason))"
        }
    }
}

func readAll(_ reader: RowReader) throws -> [Item] {
    var items: [Item] = []
    while let next = try reader.next() {
        switch next {
        case .success(let row): items.append(.row(row.line, row.values))
        case .failure(let m): items.append(.bad(m.line, m.column, m.reason))
        }
    }
    return items
}

func open(_ path: String, _ syntax: FileFormat.Syntax = .csv, _ encoding: TextEncoding = .auto,
          chunk: Int = 256 * 1024, maxRecord: Int = 1 << 20) throws -> RowReader {
    try openExport(path: path, syntax: syntax, encoding: encoding, chunkSize: chunk, maxRecordBytes: maxRecord)
}

/// The error `body` threw as UnreadableFile, or a test failure.
func unreadable(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> UnreadableFile? {
    do {
        try body()
        XCTFail("expected UnreadableFile", file: file, line: line)
    } catch let e as UnreadableFile {
        return e
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
    }
    return nil
}

/// One gzip member holding `bytes`.
func gzip(_ bytes: [UInt8]) -> [UInt8] {
    var stream = z_stream()
    precondition(czlib_deflate_init2(&stream, 6, 15 + 16) == Z_OK)
    var out = [UInt8](repeating: 0, count: bytes.count + 1024)
    var input = bytes
    let produced = input.withUnsafeMutableBufferPointer { inBuf in
        out.withUnsafeMutableBufferPointer { outBuf in
            stream.next_in = inBuf.baseAddress
            stream.avail_in = UInt32(inBuf.count)
            stream.next_out = outBuf.baseAddress
            stream.avail_out = UInt32(outBuf.count)
            precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
            return outBuf.count - Int(stream.avail_out)
        }
    }
    deflateEnd(&stream)
    return Array(out.prefix(produced))
}

func gb18030(_ text: String) -> [UInt8] { try! Transcoder.encode(text, as: "GB18030") }

import Foundation
import Hummingbird

import XCTest
@testable import SandboxRegulator

/// After the writes stop, the SQLite store moves the WAL's frames into the database file, so
/// reads no longer look each page up among them (SQLiteBackend.checkpointWhenIdle).
final class IdleCheckpointTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias P = PolicyItems

    /// The WAL's last frame and how many frames are back in the database file, as the wal-index
    /// (the `-shm` file) holds them: `mxFrame` at byte 16 of its header, `nBackfill` at byte 96.
    static func walFrames(_ path: String) throws -> (last: UInt32, backfilled: UInt32) {
        let shm = try Data(contentsOf: URL(fileURLWithPath: path + "-shm"))
        func word(_ at: Int) -> UInt32 { shm.subdata(in: at..<at + 4).withUnsafeBytes { $0.load(as: UInt32.self) } }
        return (word(16), word(96))
    }

    func testTheWALIsCheckpointedOnceTheWritesStop() async throws {
        let f = try F(); defer { f.remove() }
        try XCTSkipIf(f.postgres != nil, "SQLite's write-ahead log")
        let path = f.folder + "/regulator.db"
        try await f.app().test(.router) { client in
            for n in 0..<5 {
                let (status, _) = try await P.post(client, platform: "A", key: "w\(n)", (0..<50).map {
                    F.merchantLine(platform: "A", id: "m\(n)-\($0)", uscc: nil)
                })
                XCTAssertEqual(status, .ok)
            }
            var frames = try Self.walFrames(path)
            XCTAssertGreaterThan(frames.last, frames.backfilled, "right after the writes their frames are in the WAL only")
            for _ in 0..<100 where frames.backfilled < frames.last {
                try await Task.sleep(for: .milliseconds(100))
                frames = try Self.walFrames(path)
            }
            XCTAssertGreaterThan(frames.last, 0)
            XCTAssertEqual(frames.backfilled, frames.last, "a quiet second later every frame is in the database file")
        }
    }
}

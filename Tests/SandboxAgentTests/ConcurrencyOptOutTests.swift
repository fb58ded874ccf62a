import Foundation
import XCTest

/// Swift 6's data-race checks are on for every target of the package (tools version 6.1), but
/// two spellings switch them off for a declaration: `nonisolated(unsafe)` and `@unchecked Sendable`.
/// `PolicySignals.packChanged` was the first, and a race (issue 16). This test keeps the agent free
/// of the first and its `@unchecked Sendable` types to a reviewed list: a new one must either be
/// made checkable (a `Mutex`, a `let`, an actor) or be added here with the reason it is safe.
final class ConcurrencyOptOutTests: XCTestCase {
    /// Each reviewed type, and why the compiler cannot see that it is safe.
    static let reviewedUnchecked: [String: String] = [
        "AgentRunner": "handed to the pipeline's thread and used there alone; the main thread reads only its immutable config",
        "ChunkCompression": "its stored form is written once, by the compressing queue, before the semaphore that take() waits on, and read only after; take() is called by the state's one owner",
        "BlockingQueue": "every access under its mutex (a condition wait the Mutex type does not offer)",
        "RowLookahead": "after start() only the reader thread touches the reader; results cross through BlockingQueue",
        "PendingDigest": "its result is written once, by its own thread, before the semaphore that value() waits on, and read only after; value() is called by the pipeline's thread alone",
        "PolicyPassThread": "after start() only its thread touches the input, the renderer and its read connection; chunks cross through BlockingQueue and come back to be freed through a Mutex, and the last part and timings are read after join() waits on its semaphore",
        "SideLoad": "its result is written once, by its own thread, before the semaphore that wait() waits on, and read only after",
        "StateBox": "used by one thread: the pipeline's, on the state it owns, or a pass's own thread on its read connection (PolicyPassThread)",
        "SyncWake": "its flag is only touched under the condition's lock (a wait with timeout)",
        "SyncService": "immutable after init; each thread it starts opens its own state and curl handle",
    ]

    func testNoUncheckedConcurrencyOutsideTheReviewedList() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/SandboxAgent").standardized
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        XCTAssertFalse(files.isEmpty, "no sources found under \(sources.path)")
        var unchecked: Set<String> = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                XCTAssertFalse(code.contains("nonisolated(unsafe)"),
                               "\(file.lastPathComponent):\(n + 1): nonisolated(unsafe) hides a data race from the compiler; use a Mutex or pass the value")
                guard code.contains("@unchecked Sendable") else { continue }
                let words = code.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" })
                if let i = words.firstIndex(where: { $0 == "class" || $0 == "struct" || $0 == "enum" }), i + 1 < words.count {
                    unchecked.insert(String(words[i + 1]))
                }
            }
        }
        let unreviewed = unchecked.subtracting(Self.reviewedUnchecked.keys)
        XCTAssertTrue(unreviewed.isEmpty, "@unchecked Sendable not reviewed: \(unreviewed.sorted()); make it checkable or add it to reviewedUnchecked with why it is safe")
        let gone = Set(Self.reviewedUnchecked.keys).subtracting(unchecked)
        XCTAssertTrue(gone.isEmpty, "no longer @unchecked Sendable, take them off the list: \(gone.sorted())")
    }
}

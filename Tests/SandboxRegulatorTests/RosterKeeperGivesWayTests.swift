import Foundation
import Hummingbird
import Logging

import XCTest
@testable import SandboxRegulator

/// RosterKeeper gives way to the intake where the store asks it to (PostgreSQL,
/// RegulatorStore.keeperGivesWayToIntake): while the node has feed batches in hand it takes no
/// turn, up to its patience; once they are stored it decides what they marked. On both engines it
/// gives way to a staff member's bulk action in progress (RegulatorStore.foreground).
final class RosterKeeperGivesWayTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias K = KeptRosterTests

    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = true
        var isSet: Bool { lock.withLock { value } }
        func clear() { lock.withLock { value = false } }
    }

    static func marked(_ f: F) async throws -> Int {
        try await f.store.read { s in Int(try s.database.int64("SELECT count(*) FROM roster_dirty") ?? 0) }
    }

    /// The marks left once a running keeper has decided them, or after 20 s.
    static func markedOnceTheKeeperRan(_ f: F, from marked: Int) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(20)
        var left = marked
        while left > 0 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            left = try await Self.marked(f)
        }
        return left
    }

    func testTheKeeperWaitsWhileBatchesAreInHandThenDecides() async throws {
        let f = try F(); defer { f.remove() }
        XCTAssertEqual(f.store.keeperGivesWayToIntake, f.postgres != nil, "PostgreSQL's keeper gives way; SQLite's waits its write turn")
        try await f.app().test(.router) { client in
            let (status, _) = try await PolicyItems.post(client, platform: "A", key: "w1", [
                F.merchantLine(platform: "A", id: "m1", uscc: K.one), F.merchantLine(platform: "A", id: "m2", uscc: K.two),
            ])
            XCTAssertEqual(status, .ok)
        }
        let before = try await Self.marked(f)
        XCTAssertEqual(before, 2)
        let busy = Flag()
        let keeper = RosterKeeper(store: f.store, logger: Logger(label: "test"), ring: {}, batch: 100, idle: .milliseconds(50),
                                  busy: { busy.isSet }, patience: .seconds(60))
        let running = Task { try await keeper.run() }
        defer { running.cancel() }
        try await Task.sleep(for: .milliseconds(1_500))
        let waiting = try await Self.marked(f)
        XCTAssertEqual(waiting, 2, "batches in hand: no turn yet")
        busy.clear()
        let left = try await Self.markedOnceTheKeeperRan(f, from: waiting)
        XCTAssertEqual(left, 0, "the batches stored: the keeper decided what they marked")
    }

    func testTheKeeperGivesWayToABulkActionInProgress() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            let (status, _) = try await PolicyItems.post(client, platform: "A", key: "w1", [
                F.merchantLine(platform: "A", id: "m1", uscc: K.one), F.merchantLine(platform: "A", id: "m2", uscc: K.two),
            ])
            XCTAssertEqual(status, .ok)
        }
        let foreground = f.store.foreground
        let keeper = RosterKeeper(store: f.store, logger: Logger(label: "test"), ring: {}, batch: 100, idle: .milliseconds(50),
                                  busy: { foreground.busy }, patience: .seconds(60))
        var running: Task<Void, Error>?
        let waiting = try await foreground.during {
            XCTAssertTrue(foreground.busy)
            running = Task { try await keeper.run() }
            try await Task.sleep(for: .milliseconds(1_500))
            return try await Self.marked(f)
        }
        defer { running?.cancel() }
        XCTAssertEqual(waiting, 2, "a bulk action in progress: no keeper turn")
        XCTAssertFalse(foreground.busy)
        let left = try await Self.markedOnceTheKeeperRan(f, from: waiting)
        XCTAssertEqual(left, 0, "the bulk action done: the keeper decided what was marked")
    }
}

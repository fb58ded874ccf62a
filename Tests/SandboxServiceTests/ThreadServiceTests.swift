import Foundation
import Logging
import SandboxService
import ServiceLifecycle
import XCTest

/// The blocking parts as services: a graceful stop lets the work in hand finish; a stop that takes
/// longer than the group allows cuts the part off and says which; a part that fails stops the
/// others gracefully and is named in the error.
final class ThreadServiceTests: XCTestCase {
    let logger = Logger(label: "test")

    /// Runs `services` in a group, triggers a graceful shutdown once `ready` is true, and returns
    /// the group's error (nil when it returned normally).
    func runGroup(_ services: [any Service], maximumStop: Duration? = nil,
                  until ready: @escaping @Sendable () -> Bool) async -> Error? {
        var config = ServiceGroupConfiguration(
            services: services.map { .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup,
                                           failureTerminationBehavior: .gracefullyShutdownGroup) },
            logger: logger)
        config.maximumGracefulShutdownDuration = maximumStop
        let group = ServiceGroup(configuration: config)
        let outcome = Log()
        // Each task says whether it was the group; the group's end ends the trigger's wait.
        await withTaskGroup(of: Bool.self) { tasks in
            tasks.addTask {
                do { try await group.run() } catch { outcome.keep(error) }
                return true
            }
            tasks.addTask {
                while !ready() && !Task.isCancelled { try? await Task.sleep(for: .milliseconds(10)) }
                if !Task.isCancelled { await group.triggerGracefulShutdown() }
                return false
            }
            for await wasGroup in tasks where wasGroup { tasks.cancelAll() }
        }
        return outcome.error
    }

    func testGracefulShutdownWaitsForTheUnitOfWorkInHand() async {
        let log = Log()
        let running = RunningThreads()
        let service = ThreadService(name: "worker", running: running) { stop in
            while !stop.isSet {
                log.add("unit started")
                usleep(300_000)  // a unit of work that does not look at the flag
                log.add("unit finished")
            }
        }
        let error = await runGroup([service]) { log.entries.contains("unit started") }
        XCTAssertNil(error)
        XCTAssertEqual(log.entries.last, "unit finished", "the unit in hand was finished before the service returned")
        XCTAssertEqual(running.stillRunning, [])
    }

    func testStopLongerThanAllowedCutsThePartOffAndNamesIt() async {
        let running = RunningThreads()
        let release = StopFlag()
        let service = ThreadService(name: "slow-part", running: running) { _ in
            while !release.isSet { usleep(10_000) }  // ignores its stop flag
        }
        let started = Date()
        _ = await runGroup([service], maximumStop: .milliseconds(300)) { running.stillRunning == ["slow-part"] }
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "the group returned within its bound")
        XCTAssertEqual(running.stillRunning, ["slow-part"], "the thread was left running and reported")
        release.set()
        for _ in 0..<200 where !running.stillRunning.isEmpty { usleep(10_000) }
        XCTAssertEqual(running.stillRunning, [])
    }

    func testAFailingPartStopsTheOthersGracefullyAndIsNamed() async {
        let running = RunningThreads()
        let log = Log()
        struct Broken: Error, CustomStringConvertible { var description: String { "state cannot open" } }
        let healthy = ThreadService(name: "healthy", running: running) { stop in
            while !stop.isSet { usleep(5_000) }
            log.add("healthy stopped")
        }
        let failing = ThreadService(name: "failing", running: running) { _ in
            usleep(50_000)
            throw Broken()
        }
        let error = await runGroup([healthy, failing]) { false }
        XCTAssertEqual(log.entries, ["healthy stopped"])
        let failure = error as? ThreadServiceFailure
        XCTAssertEqual(failure?.service, "failing", "\(String(describing: error))")
        XCTAssertEqual(failure?.description, "failing: state cannot open")
    }

    func testStopFlagWakesItsSleepersOnceAndAtOnceWhenAlreadySet() {
        let flag = StopFlag()
        let log = Log()
        flag.onSet { log.add("a") }
        XCTAssertFalse(flag.isSet)
        flag.set()
        flag.set()
        XCTAssertTrue(flag.isSet)
        flag.onSet { log.add("b") }
        XCTAssertEqual(log.entries, ["a", "b"])
    }
}

/// A thread-safe list of what happened.
final class Log: @unchecked Sendable {
    private let lock = NSLock()
    private var _entries: [String] = []
    var entries: [String] { lock.withLock { _entries } }
    func add(_ s: String) { lock.withLock { _entries.append(s) } }
    private var _error: Error?
    var error: Error? { lock.withLock { _error } }
    func keep(_ e: Error) { lock.withLock { _error = e } }
}

import Foundation
import ServiceLifecycle

/// Runs a service group from synchronous code — a command's `run()` on the main thread — and
/// blocks that thread until the group returns. The main thread is not one of the cooperative
/// pool's, so blocking it costs the group nothing.
public enum BlockingRun {
    public static func run(_ group: ServiceGroup) throws {
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do { try await group.run(); box.set(.success(())) } catch { box.set(.failure(error)) }
            done.signal()
        }
        done.wait()
        try box.get()
    }
}

private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<Void, Error> = .success(())
    func set(_ r: Result<Void, Error>) { lock.withLock { result = r } }
    func get() throws { try lock.withLock { result }.get() }
}

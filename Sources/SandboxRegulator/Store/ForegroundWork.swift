import NIOConcurrencyHelpers

/// Work a staff member is waiting on right now that takes many write turns one after another — a
/// bulk action's 200 rows, each decided and audited through the API's own path. Background work
/// (the roster keeper) gives way while any is in progress: on SQLite each of the rows' writes
/// otherwise waits behind a keeper's turn, and a bulk confirm during the keeper's drain after a
/// large load took 10.7 s instead of a quarter of one (docs/benchmarks.md, issue 14).
public final class ForegroundWork: Sendable {
    private let running = NIOLockedValueBox<Int>(0)

    public init() {}

    /// Whether some foreground work is in progress.
    public var busy: Bool { running.withLockedValue { $0 > 0 } }

    /// Runs `body` as foreground work.
    public func during<T>(_ body: () async throws -> T) async rethrows -> T {
        running.withLockedValue { $0 += 1 }
        defer { running.withLockedValue { $0 -= 1 } }
        return try await body()
    }
}

/// At most `count` holders at once, the rest wait their turn in arrival order — without holding
/// a thread while they wait. A SQLite backend has one writer and a few readers: a write that
/// waits for the writer must not sit on one of the store's threads, or a burst of feed batches
/// would take every thread and keep staff reads waiting behind them.
actor AsyncSlots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(count: Int) { free = count }

    func acquire() async {
        if free > 0 { free -= 1; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }

    /// Runs `body` holding one slot.
    nonisolated func holding<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await acquire()
        do {
            let result = try await body()
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }
}

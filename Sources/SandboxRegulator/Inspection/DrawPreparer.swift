import Foundation
import SandboxCore

/// Makes the console's draw previews in the background (issue 14). A city draw reads and ranks
/// every enterprise — 3–4 s of a core at 469,000 merchants, more for a province — which no page
/// may hold a request for. The officer's request is stored (`draw_preparations`), a task here
/// makes the draw through `DrawRun.draw` (the command's code) and stores it prepared; the page
/// that waits shows its progress. While it works, the task renews the row's heartbeat: when a
/// node stops mid-way, the heartbeat goes stale and the next node that shows the page takes the
/// preparation over (`takeOverIfStale`), so a preview never waits on a node that is gone.
final class DrawPreparer: Sendable {
    let store: RegulatorStore
    /// One preparation at a time on a node: it keeps one core busy, the other serves the
    /// requests; the rest wait their turn (their phase says "queued") with their heartbeat kept.
    private let slots = AsyncSlots(count: 1)

    init(store: RegulatorStore) { self.store = store }

    /// Asks for a draw as `actor`; it is prepared in the background. Its preparation's id.
    func ask(_ request: DrawPreparationRequest, by actor: String) async throws -> Int64 {
        let id = try await store.write { try $0.openDrawPreparation(request, createdBy: actor, now: Timestamp.now()) }
        start(id, request)
        return id
    }

    /// Takes over a preparation whose node stopped beating — here, once, whichever node asks first.
    func takeOverIfStale(_ preparation: DrawPreparation) async throws {
        guard preparation.isStale(now: Timestamp.now()) else { return }
        let id = preparation.id
        guard try await store.write({ try $0.claimStaleDrawPreparation(id: id, now: Timestamp.now()) }) else { return }
        start(id, preparation.request)
    }

    private func start(_ id: Int64, _ request: DrawPreparationRequest) {
        let store = self.store, slots = self.slots
        Task.detached(priority: .utility) {
            let heartbeat = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(DrawPreparation.heartbeatSeconds))
                    guard !Task.isCancelled else { break }
                    try? await store.write { try $0.beatDrawPreparation(id: id, phase: nil, now: Timestamp.now()) }
                }
            }
            _ = try? await slots.holding { await Self.prepare(id, request, store: store) }
            heartbeat.cancel()
            // Not drawn within its hour, the preview gives its population back then, not only
            // when someone next asks for a draw (which also drops it, after a restart too).
            try? await Task.sleep(for: .seconds(DrawPreparation.validSeconds + 1))
            try? await store.write { try $0.dropExpiredDrawPreparations(now: Timestamp.now()) }
        }
    }

    /// The draw made and stored prepared, or the reason it could not be (the officer reads it).
    /// A city's population is hundreds of megabytes while it is ranked: given back to the system
    /// once `make` has returned and dropped all of it.
    static func prepare(_ id: Int64, _ request: DrawPreparationRequest, store: RegulatorStore) async {
        await make(id, request, store: store)
        FreedMemory.release()
    }

    private static func make(_ id: Int64, _ request: DrawPreparationRequest, store: RegulatorStore) async {
        let phase: @Sendable (DrawPreparation.Phase) async -> Void = { phase in
            try? await store.write { try $0.beatDrawPreparation(id: id, phase: phase, now: Timestamp.now()) }
        }
        let report: DrawReport
        do {
            report = try await DrawRun.draw(seed: request.seed, inspectors: request.inspectors, asOf: request.asOf, region: request.region,
                                            packPath: nil, store: store, now: Timestamp.now(), progress: phase)
        } catch {
            try? await store.write { try $0.failDrawPreparation(id: id, error: error.message, now: Timestamp.now()) }
            return
        }
        await phase(.storing)
        let stored = report.stored(createdBy: "")
        do {
            _ = try await store.write {
                try $0.finishDrawPreparation(id: id, stored, recentlyInspected: report.recentlyInspected,
                                             inspectorsCount: report.inspectors.count, now: Timestamp.now())
            }
        } catch {
            try? await store.write {
                try $0.failDrawPreparation(id: id, error: "the draw was made but could not be kept for its preview: \(error); preview it again",
                                           now: Timestamp.now())
            }
        }
    }
}

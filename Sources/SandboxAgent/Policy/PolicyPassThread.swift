import CLinux
import Foundation
import SandboxPolicy
import Synchronization

/// Runs a pass's engine on a thread of its own and renders its parts on another, handing the
/// rendered writes in chunks to the thread that owns the state, which writes them (`PolicyRunner`).
/// A first pass at 469,000 merchants spent most of its CPU deciding, rendering and compressing,
/// and a third writing rows: on one thread one core of two sat idle (issue 16). With the engine
/// and the renderer on one thread, that thread bounded the pass while the writer waited for a
/// fifth of it; three threads on two cores let the scheduler give each core whatever is ready, and
/// the pass ends when the work of all three is done (issue 16, session 37: 10 % shorter).
///
/// The engine's questions to the state (evidence texts, earlier cases, a case to change) and the
/// renderer's (shop names) go to one read-only connection, one thread at a time (`StateBox`), which
/// sees the state as committed before the pass: what the pass itself writes is not read back by
/// it (the engine keeps its own decisions), so it sees what it would have seen on the writer's
/// connection.
///
/// `@unchecked Sendable`: after `start()` only the engine's thread touches the input and only the
/// renderer's the renderer; the parts go between them through a queue; the last part is read after
/// `join()`.
final class PolicyPassThread: @unchecked Sendable {
    /// Rendered chunks on their way to the writer, about 1 MB each: up to sixteen ahead. With four,
    /// the writer of a first pass waited for chunks 919 times, 1.37 s in all (`perf sched`), while
    /// the renderer, whose pace changes from section to section, waited for room: sixteen let either
    /// run ahead through the other's slow stretches (issue 16, session 37: 9 of 10 pairs shorter,
    /// medians −4.5 and −8.4 %, 10–12 MiB more at the peak; thirty-two no shorter, 23 MiB more).
    let parts = BlockingQueue<RenderedPart>(capacity: 16)
    private var input: PolicyPassInput?
    private let blockRows: Int
    private let engineApart: Bool
    private let releasesFreedMemory: Bool
    private let renderer: PolicyRenderer
    private let reader: AgentState
    /// Parts the engine decided, on their way to the renderer: one ahead (a part is up to 16,384
    /// merchants' decisions; with two ahead the peak grew by another 9 MiB).
    private let decided = BlockingQueue<PolicyOutcome>(capacity: 1)
    private let engineDone = DispatchSemaphore(value: 0)
    private let renderDone = DispatchSemaphore(value: 0)
    /// The part that ends the pass (its writes go through the queue like the others').
    private var last: PolicyOutcome?
    /// Seconds the engine's stages took (its timings), for the log.
    private(set) var engineSeconds = 0.0
    /// Chunks the writer has written, freed on the renderer's thread, where their blocks were allocated:
    /// glibc frees another thread's block under that thread's arena lock, and freeing the writes
    /// on the writer's thread was 6 % of its samples in a first pass (issue 16, session 26).
    private let spent = Mutex<[RenderedPart]>([])

    /// `reader`: a read-only connection in a read snapshot that the input's callbacks and the
    /// renderer's `lines.fetch` use; it is ended when the pass is.
    /// `engineApart`: the engine on a thread of its own, the renderer on another (else both on one).
    /// `releasesFreedMemory`: the allocator's free pages given back once the engine is done.
    init(input: consuming PolicyPassInput, blockRows: Int, renderer: PolicyRenderer, reader: AgentState,
         engineApart: Bool, releasesFreedMemory: Bool) {
        self.input = consume input
        self.engineApart = engineApart
        self.releasesFreedMemory = releasesFreedMemory
        self.blockRows = blockRows
        self.renderer = renderer
        self.reader = reader
        // Compressing shared by load: while more than one chunk waits, the writer has work and the
        // items are compressed here; otherwise the writer is idle or soon will be, and compresses
        // them. (Asked right after a put, "any chunk" counted the one just handed over.)
        renderer.encodesItems = { [parts] in parts.waiting > 1 }
    }

    func start() {
        guard engineApart else {
            let thread = Thread { [self] in
                decideAndRender()
                renderDone.signal()
                engineDone.signal()
            }
            thread.name = "policy-pass"
            thread.start()
            return
        }
        let engine = Thread { [self] in
            decide()
            engineDone.signal()
        }
        engine.name = "policy-engine"
        let rendering = Thread { [self] in
            render()
            renderDone.signal()
        }
        rendering.name = "policy-render"
        engine.start()
        rendering.start()
    }

    /// The engine's thread: decides and hands each part to the renderer's thread.
    private func decide() {
        let decided = decided
        // A writer that failed closed the queues: the engine cannot be stopped, so what it still
        // decides is dropped.
        let outcome = runEngine { decided.put($0) }
        decided.put(outcome)
        decided.close()
    }

    /// The renderer's thread: renders each part the engine decided, in order.
    private func render() {
        while let part = decided.take(), render(part) {}
        // Closed by the writer, or the engine is done: either way nothing more is rendered, and
        // an engine still deciding drops what it decides.
        decided.close()
        parts.close()
        freeSpent()
    }

    /// The engine and the renderer on one thread (`policy.pass_threads = 2`).
    private func decideAndRender() {
        let outcome = runEngine { [self] in _ = render($0) }
        _ = render(outcome)
        parts.close()
        freeSpent()
    }

    /// Runs the engine over the input, handing each part it decides to `deliver`; keeps the last.
    private func runEngine(_ deliver: @escaping (PolicyOutcome) -> Void) -> PolicyOutcome {
        // The pass changes the states in place: the input is handed over as its only reference
        // (the runner consumed its own; a second one makes the engine copy the states, 19 MB at
        // 469,000 merchants).
        let whole = input.take()!
        let outcome = PolicyPass.run(consume whole, blockRows: blockRows, deliver: deliver)
        // After a pass that loaded the facts, what the load and the engine freed goes back to the
        // kernel now rather than staying resident to the process's end: glibc keeps a thread's
        // freed pages in its arena, and with the engine on a thread of its own a next day's pass
        // peaked at 241 MiB where one thread for the engine and the renderer peaked at 236; with
        // this, 234.5 (issue 16, session 37). Not after a pass on the running agent's columns: the
        // pages would be faulted in again by the next (a quiet pass took 40 ms more).
        if releasesFreedMemory { _ = clinux_release_freed_memory() }
        engineSeconds = outcome.timings.reduce(0) { $0 + $1.1 }
        last = outcome
        return outcome
    }

    /// Renders a part and hands its chunks to the writer; false once the writer has closed the
    /// queue (it failed), when what is still decided is dropped without rendering.
    private func render(_ part: PolicyOutcome) -> Bool {
        guard !parts.isClosed else { return false }
        let parts = parts
        renderer.render(part) { chunk in
            parts.put(chunk)
            freeSpent()
        }
        return true
    }

    /// Called by the writer with a chunk it has written.
    func recycle(_ chunk: RenderedPart) {
        spent.withLock { $0.append(chunk) }
    }

    private func freeSpent() {
        var written: [RenderedPart] = []
        spent.withLock { swap(&$0, &written) }
        // `written` holds the only references: its chunks are freed here, when it goes.
    }

    /// Waits for the threads to end; returns the last part (what ends the pass).
    func join() -> PolicyOutcome {
        renderDone.wait()
        engineDone.wait()
        try? reader.endReadSnapshot()
        return last!
    }
}

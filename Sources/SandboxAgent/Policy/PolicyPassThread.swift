import Foundation
import SandboxPolicy
import Synchronization

/// Runs a pass's engine and renders its parts on a thread of its own, handing the rendered writes
/// in chunks to the thread that owns the state, which writes them (`PolicyRunner`). A first pass at 469,000
/// merchants spent most of its CPU deciding, rendering and compressing, and a third writing rows: on
/// one thread one core of two sat idle (issue 16).
///
/// The engine's questions to the state (evidence texts, earlier cases, a case to change) and the
/// renderer's (shop names) go to a read-only connection of this thread, which sees the state as
/// committed before the pass: what the pass itself writes is not read back by it (the engine
/// keeps its own decisions), so it sees what it would have seen on the writer's connection.
///
/// `@unchecked Sendable`: after `start()` only the thread touches the input and the renderer; the
/// last part is read after `join()`.
final class PolicyPassThread: @unchecked Sendable {
    /// Rendered chunks on their way to the writer: a few ahead, about 1 MB each.
    let parts = BlockingQueue<RenderedPart>(capacity: 4)
    private var input: PolicyPassInput?
    private let blockRows: Int
    private let renderer: PolicyRenderer
    private let reader: AgentState
    private let done = DispatchSemaphore(value: 0)
    /// The part that ends the pass (its writes go through the queue like the others').
    private var last: PolicyOutcome?
    /// Seconds the engine's stages took (its timings), for the log.
    private(set) var engineSeconds = 0.0
    /// Chunks the writer has written, freed on this thread, where their blocks were allocated:
    /// glibc frees another thread's block under that thread's arena lock, and freeing the writes
    /// on the writer's thread was 6 % of its samples in a first pass (issue 16, session 26).
    private let spent = Mutex<[RenderedPart]>([])

    /// `reader`: a read-only connection in a read snapshot that the input's callbacks and the
    /// renderer's `lines.fetch` use; it is ended when the pass is.
    init(input: consuming PolicyPassInput, blockRows: Int, renderer: PolicyRenderer, reader: AgentState) {
        self.input = consume input
        self.blockRows = blockRows
        self.renderer = renderer
        self.reader = reader
        // Compressing shared by load: while more than one chunk waits, the writer has work and the
        // items are compressed here; otherwise the writer is idle or soon will be, and compresses
        // them. (Asked right after a put, "any chunk" counted the one just handed over.)
        renderer.encodesItems = { [parts] in parts.waiting > 1 }
    }

    func start() {
        let thread = Thread { [self] in
            run()
            done.signal()
        }
        thread.name = "policy-pass"
        thread.start()
    }

    private func run() {
        defer { try? reader.endReadSnapshot() }
        // The pass changes the states in place: the input is handed over as its only reference
        // (the runner consumed its own; a second one makes the engine copy the states, 19 MB at
        // 469,000 merchants).
        let whole = input.take()!
        let parts = parts
        let renderer = renderer
        func hand(_ part: PolicyOutcome) {
            // A writer that failed closed the queue: the engine cannot be stopped, so what it still
            // decides is dropped without rendering.
            guard !parts.isClosed else { return }
            renderer.render(part) { chunk in
                parts.put(chunk)
                freeSpent()
            }
        }
        let outcome = PolicyPass.run(consume whole, blockRows: blockRows) { hand($0) }
        engineSeconds = outcome.timings.reduce(0) { $0 + $1.1 }
        hand(outcome)
        last = outcome
        parts.close()
        freeSpent()
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

    /// Waits for the thread to end; returns the last part (what ends the pass).
    func join() -> PolicyOutcome {
        done.wait()
        return last!
    }
}

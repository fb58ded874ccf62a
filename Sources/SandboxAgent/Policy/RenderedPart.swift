import SandboxPolicy

/// Writes of a pass, rendered, on their way to the writer: at most `PolicyRenderer.chunkWrites`
/// of them, in sections named for the pass's timings (`states`, `class`, `cases`,
/// `instructions`, `roster`, `prompts`). A part's first chunk carries the part itself, which the
/// writer counts and folds into what the running agent keeps. Chunks, not whole parts, go from
/// the pass's thread to the writer: a part of 16,384 merchants' roster decisions renders 45 MB of
/// lines and items, and the queue held four such (issue 16).
struct RenderedPart {
    var part: PolicyOutcome?
    var sections: [(name: String, writes: [PolicyWrite])] = []
    /// The chunk's audit events, one after another; each `.audit` write names its event's bytes.
    /// One buffer a chunk instead of an array an event: a first pass renders 1.1 million events,
    /// and each array was allocated on the renderer's thread, retained and released on the
    /// writer's and freed back on the renderer's (issue 16, session 39).
    var audit: [UInt8] = []
    /// Where the events in `audit` end: the bytes after are room for the next event, made once for
    /// the chunk rather than for each event (`JSONLine.append(to:end:_:)`).
    var auditEnd = 0

    /// Has `body` write events after `auditEnd` and move it: the two taken together inside the
    /// part's own method, where they are told apart (from a closure that captures the part, two
    /// of its properties at once are one access too many).
    mutating func writeAudit(_ body: (inout [UInt8], inout Int) -> Void) {
        body(&audit, &auditEnd)
    }
}

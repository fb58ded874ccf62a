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
}

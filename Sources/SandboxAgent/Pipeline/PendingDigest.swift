import Foundation

/// A claimed file's SHA-256, made on a thread of its own beside the file's rows.
///
/// The digest decides two things before a file's first row is applied: whether it repeats the
/// newest applied file of its kind (then it is skipped) and whether it repeats an older one (then
/// the report says so). Both need an applied file of the same size, which the journal tells at
/// once; a file of a size no applied file has can repeat none, and its digest is needed only for
/// its journal entry. Either way it is made while the look-ahead begins reading and verifying: made
/// on the writer's thread before anything else, the digest of a 157 MB merchants file was 0.1–0.2 s
/// in which neither the reader nor the verifier had begun (issue 16, session 46). A file that
/// repeats the newest applied one costs that look-ahead's start, stopped at the check.
///
/// `@unchecked Sendable`: `result` is written once on the digest's thread before `done` is
/// signalled, and read only after `value()` has waited for that signal.
final class PendingDigest: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<String, FileSystem.Failure>?
    private var waited = false

    /// Begins the digest of the file at `path`.
    init(path: String) {
        let thread = Thread { [self] in
            result = Result { () throws(FileSystem.Failure) in try FileDigest.sha256(path: path) }
            done.signal()
        }
        thread.name = "file-digest"
        thread.start()
    }

    /// The digest, waiting for its thread if it has not finished; the read's failure if it failed.
    func value() throws(FileSystem.Failure) -> String {
        if !waited {
            done.wait()
            waited = true
        }
        return try result!.get()
    }
}

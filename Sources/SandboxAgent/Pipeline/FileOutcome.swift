/// What became of one inbox file.
public enum FileOutcome: Sendable, Equatable {
    /// Rows applied (some maybe rejected); the file went to the archive.
    case applied(accepted: Int, rejected: Int, unchanged: Int, findingsChanged: Int)
    /// Same bytes as a file already applied: nothing applied again; archived.
    case duplicate(of: String)
    /// Could not be read at all: moved to the failed folder with a report.
    case failed(reason: String)
    /// A resource problem (disk full, database busy): nothing applied, the file stays claimed
    /// and is retried.
    case retryLater(reason: String)
}

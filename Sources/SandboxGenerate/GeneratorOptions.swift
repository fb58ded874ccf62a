#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The character encoding of generated files.
public enum GeneratedEncoding: Sendable, Equatable {
    case utf8
    /// GB18030 as Excel in China writes it; needs a transcoder passed to `write`.
    case gb18030
}

/// Which header names the files carry (EXPORT-FORMAT.md): 中文 names with 是/否 and Chinese
/// coded values, or English snake_case names with true/false and English coded values.
public enum HeaderLanguage: Sendable, Equatable {
    case chinese
    case english
}

/// The order rows are written in; the records are the same in every order.
public enum RowOrder: Sendable, Equatable {
    case natural
    case reversed
    /// A Fisher–Yates permutation from the generator's own PRNG with this seed.
    case shuffled(seed: UInt64)
}

/// Line ending of generated files (Excel on Windows writes CRLF).
public enum LineEnding: Sendable, Equatable {
    case lf
    case crlf
}

/// What `ExportGenerator.write` produced.
public struct GeneratedFiles: Sendable, Equatable {
    public var merchantsPath: String
    public var licencesPath: String
    public var registryPath: String
    /// Data rows (without the header row).
    public var merchantRows: Int
    public var licenceRows: Int
    public var registryRows: Int
    public var merchantBytes: Int
    public var licenceBytes: Int
    public var registryBytes: Int
    /// Merchants carrying each planted problem.
    public var problemCounts: [GeneratedProblem: Int]
    /// Merchants with at least one planted problem.
    public var merchantsWithProblems: Int
}

/// Why the generator could not write its files.
public enum GeneratorError: Error, CustomStringConvertible, Equatable {
    case invalidPlatformID(String)
    case missingTranscoder
    case cannotCreate(path: String, errno: Int32)
    case writeFailed(path: String, errno: Int32)
    case renameFailed(from: String, to: String, errno: Int32)
    /// The city's exports exist from its first day on.
    case dayBeforeStart(day: String, start: String)

    public var description: String {
        switch self {
        case .invalidPlatformID(let id):
            return "platform id must be 1–64 characters of A-Z a-z 0-9 - _ (it goes into file names), got '\(id)'"
        case .missingTranscoder:
            return "GB18030 output needs a transcoder: pass `transcode:` (UTF-8 bytes → GB18030 bytes) to write"
        case .cannotCreate(let path, let e):
            return "cannot create \(path): \(String(cString: strerror(e))); check the folder exists and is writable"
        case .writeFailed(let path, let e):
            return "writing \(path) failed: \(String(cString: strerror(e))); check free disk space"
        case .renameFailed(let from, let to, let e):
            return "cannot rename \(from) to \(to): \(String(cString: strerror(e)))"
        case .dayBeforeStart(let day, let start):
            return "the city begins on \(start); give --now \(day) or later, or an earlier --start"
        }
    }
}

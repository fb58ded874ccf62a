import Glibc

/// Reads a file that holds a secret (a bearer token, an HMAC secret, a TLS private key, a
/// platforms file with inline secrets), refusing one that others could read or change — as ssh
/// refuses an unprotected private key. Both programs read their secrets through it, so both
/// refuse for the same reasons with the same words.
///
/// Allowed: the owner is root or this process's user, others have no access at all, and the
/// group at most reads. Group read stays allowed because the documented layout needs it
/// (docs/operations.md): the agent's secrets are `root:sandbox 0640`, owned by root so the agent
/// cannot rewrite them, and read by the agent through its group.
///
/// The checks run on the opened descriptor (`fstat`), so the file checked is the file read even
/// if the path is swapped meanwhile; a symlink is followed (secrets mounted by an orchestrator are
/// links into a read-only tree), and the file it leads to is checked.
public enum SecretFile {
    /// Larger files are refused: a secret is a line, a key a few hundred bytes.
    public static let maxBytes = 1 << 20

    /// The file's bytes, after the checks.
    public static func read(_ path: String) throws(SecretFileError) -> [UInt8] {
        try withChecked(path) { fd, size throws(SecretFileError) in
            guard size <= maxBytes else { throw .tooLarge(path: path, limit: maxBytes) }
            var bytes = [UInt8](repeating: 0, count: Int(size))
            var done = 0
            while done < bytes.count {
                let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + done, $0.count - done) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { break }
                done += n
            }
            // A file that shrank while read: what was read is what there is.
            return Array(bytes[0..<done])
        }
    }

    /// The checks without reading: for a file another library reads later (curl's client key).
    public static func check(_ path: String) throws(SecretFileError) {
        try withChecked(path) { _, _ throws(SecretFileError) in }
    }

    private static func withChecked<T>(_ path: String, _ body: (Int32, Int) throws(SecretFileError) -> T) throws(SecretFileError) -> T {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .notAFile(path: path) }
        let mode = Int(info.st_mode & 0o7777)
        if mode & 0o027 != 0 { throw .tooOpen(path: path, mode: mode) }
        let me = geteuid()
        if info.st_uid != 0 && info.st_uid != me { throw .foreignOwner(path: path, owner: Int(info.st_uid), me: Int(me)) }
        return try body(fd, Int(info.st_size))
    }
}

/// Why a secret file was refused: the file and what to run, never its content.
public enum SecretFileError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case notAFile(path: String)
    case tooLarge(path: String, limit: Int)
    /// Others have some access, or the group may write.
    case tooOpen(path: String, mode: Int)
    /// Owned by a user who could change it at any time.
    case foreignOwner(path: String, owner: Int, me: Int)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read \(path) (\(reason)); check that it exists and this user may read it"
        case .notAFile(let path):
            return "\(path) is not a regular file; a secret must be a file of its own"
        case .tooLarge(let path, let limit):
            return "\(path) is larger than \(limit) bytes; is it the right file?"
        case .tooOpen(let path, let mode):
            let octal = String(mode, radix: 8)
            let shown = String(repeating: "0", count: max(0, 4 - octal.count)) + octal
            var who: [String] = []
            if mode & 0o004 != 0 { who.append("readable by others") }
            if mode & 0o002 != 0 { who.append("writable by others") }
            if mode & 0o001 != 0 && mode & 0o006 == 0 { who.append("open to others") }
            if mode & 0o020 != 0 { who.append("writable by its group") }
            return "\(path) is \(who.joined(separator: " and ")) (mode \(shown)), and holds a secret: "
                + "chmod 600 \(path) (or 640 when the service reads it through its group, docs/operations.md)"
        case .foreignOwner(let path, let owner, let me):
            return "\(path) holds a secret but belongs to uid \(owner), who could change it: "
                + "chown root (or uid \(me), the user running this) \(path)"
        }
    }
}

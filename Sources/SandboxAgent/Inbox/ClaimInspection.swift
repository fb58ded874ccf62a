import Glibc

/// What a claimed file really is, judged on the file itself and never through a link: the name
/// was a regular file when the inbox was listed, but whoever can write the inbox could have put a
/// symbolic link (to a client key, another tenant's export) or a hard link in its place before the
/// claim's rename. Opened with O_NOFOLLOW and examined with fstat, so the answer is about the
/// very object the agent would read.
enum ClaimInspection {
    enum Verdict: Equatable {
        case regular
        /// A symbolic link: never followed.
        case symbolicLink
        /// Not a file the agent may read, and why.
        case refused(String)
    }

    static func inspect(_ path: String) -> Verdict {
        // O_NONBLOCK: a FIFO swapped in must not block the open.
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ELOOP { return .symbolicLink }
            return .refused("it cannot be opened in the work folder (\(String(cString: strerror(code))))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .refused("it cannot be examined (\(String(cString: strerror(errno))))") }
        guard st.st_mode & S_IFMT == S_IFREG else {
            return .refused("it is not a regular file (a folder, pipe or device took its place); drop the export itself")
        }
        guard st.st_nlink == 1 else {
            return .refused("it has \(st.st_nlink) hard links: another name points to the same data, which may not be the "
                            + "platform's to send; copy the export into the inbox instead of linking it")
        }
        return .regular
    }
}

import CLinux
import Glibc

/// The few file-system operations the agent needs, over Glibc, with errors that name the path.
///
/// Durability rules live here: a rename is followed by an fsync of the folder, and a move
/// across file systems copies, fsyncs and only then unlinks the source.
public enum FileSystem {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var operation: String
        public var path: String
        public var code: Int32
        public var description: String { "\(operation) \(path): \(String(cString: strerror(code)))" }
        public var isDiskFull: Bool { code == ENOSPC || code == EDQUOT }
    }

    /// One entry of a folder listing.
    public struct Entry: Sendable {
        public var name: String
        public var size: Int64
        public var modified: Int64
        /// Seconds + nanoseconds of the last status change: a rename into the folder sets it, so
        /// it orders files by arrival.
        public var changedNanoseconds: Int64
        public var type: EntryType
        /// The name's bytes as the file system holds them; `name` is their UTF-8 reading, with
        /// invalid bytes replaced (then `nameIsUTF8` is false and `name` names no real entry).
        public var rawName: [UInt8]
        public var nameIsUTF8: Bool
        public var isSymbolicLink: Bool { type == .symbolicLink }
    }

    /// What a folder entry is, told by `lstat` (a link is not followed).
    public enum EntryType: String, Sendable {
        case regular, symbolicLink, folder, namedPipe, socket, device

        init(mode: mode_t) {
            switch mode & S_IFMT {
            case S_IFREG: self = .regular
            case S_IFLNK: self = .symbolicLink
            case S_IFDIR: self = .folder
            case S_IFIFO: self = .namedPipe
            case S_IFSOCK: self = .socket
            default: self = .device
            }
        }
    }

    public static func createDirectories(_ path: String) throws(Failure) {
        var built = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            built += "/" + part
            if mkdir(built, 0o750) != 0 && errno != EEXIST {
                throw Failure(operation: "create folder", path: built, code: errno)
            }
        }
    }

    /// Regular files and symbolic links: what a folder of files holds, and all most callers want.
    public static func list(_ folder: String) throws(Failure) -> [Entry] {
        try listAll(folder).filter { ($0.type == .regular || $0.type == .symbolicLink) && $0.nameIsUTF8 }
    }

    /// Every entry but `.` and `..`, whatever its type or name.
    public static func listAll(_ folder: String) throws(Failure) -> [Entry] {
        guard let dir = opendir(folder) else { throw Failure(operation: "list", path: folder, code: errno) }
        defer { closedir(dir) }
        var entries: [Entry] = []
        while let ent = readdir(dir) {
            let raw = withUnsafeBytes(of: ent.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if raw == [0x2e] || raw == [0x2e, 0x2e] { continue }
            var st = stat()
            let found = raw.withUnsafeBufferPointer { bytes -> Bool in
                var path = Array(folder.utf8) + [0x2f] + Array(bytes) + [0]
                return path.withUnsafeMutableBufferPointer { p in
                    p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) { lstat($0, &st) == 0 }
                }
            }
            guard found else { continue }  // gone since readdir
            let valid = String(validating: raw, as: UTF8.self)
            entries.append(Entry(name: valid ?? String(decoding: raw, as: UTF8.self), size: Int64(st.st_size),
                                 modified: Int64(st.st_mtim.tv_sec),
                                 changedNanoseconds: Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec),
                                 type: EntryType(mode: st.st_mode), rawName: raw, nameIsUTF8: valid != nil))
        }
        return entries
    }

    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    /// Renames and makes the rename durable (fsync of both folders).
    public static func rename(_ from: String, to: String) throws(Failure) {
        guard Glibc.rename(from, to) == 0 else { throw Failure(operation: "rename to \(to)", path: from, code: errno) }
        try syncFolder(of: to)
        if folder(of: from) != folder(of: to) { try syncFolder(of: from) }
    }

    /// Moves a file, across file systems if need be (copy, fsync, rename into place, unlink).
    public static func move(_ from: String, to: String) throws(Failure) {
        if Glibc.rename(from, to) == 0 {
            try syncFolder(of: to)
            try syncFolder(of: from)
            return
        }
        guard errno == EXDEV else { throw Failure(operation: "move to \(to)", path: from, code: errno) }
        let temporary = folder(of: to) + "/.moving-" + lastComponent(of: to)
        try copy(from, to: temporary)
        try rename(temporary, to: to)
        guard unlink(from) == 0 else { throw Failure(operation: "remove", path: from, code: errno) }
        try syncFolder(of: from)
    }

    static func copy(_ from: String, to: String) throws(Failure) {
        let input = open(from, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw Failure(operation: "open", path: from, code: errno) }
        defer { close(input) }
        let output = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard output >= 0 else { throw Failure(operation: "create", path: to, code: errno) }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw Failure(operation: "read", path: from, code: errno) }
            if n == 0 { break }
            try writeAll(output, buffer[0..<n], path: to)
        }
        guard fsync(output) == 0 else { throw Failure(operation: "fsync", path: to, code: errno) }
    }

    static func writeAll(_ fd: Int32, _ bytes: ArraySlice<UInt8>, path: String) throws(Failure) {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw Failure(operation: "write", path: path, code: errno) }
            offset += n
        }
    }

    /// Asks the kernel to start writing `bytes` bytes of `fd` from `from` to disk, and returns
    /// without waiting (`sync_file_range`, SYNC_FILE_RANGE_WRITE). The file's fsync later finds
    /// them written or on their way. Not durability (no metadata, no disk cache flush): only when
    /// the bytes go. A failure changes nothing but that, so it is not reported.
    static func startWriteback(_ fd: Int32, from: Int64, bytes: Int64) {
        _ = clinux_start_writeback(fd, from, bytes)
    }

    public static func syncFolder(of path: String) throws(Failure) {
        let dir = folder(of: path)
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(operation: "open folder", path: dir, code: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw Failure(operation: "fsync folder", path: dir, code: errno) }
    }

    public static func remove(_ path: String) throws(Failure) {
        guard unlink(path) == 0 || errno == ENOENT else { throw Failure(operation: "remove", path: path, code: errno) }
    }

    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    public static func lastComponent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}

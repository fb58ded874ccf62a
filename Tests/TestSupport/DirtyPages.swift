import CLinux
import Glibc

/// The dirty pages the page cache holds of the file at `path` (`cachestat(2)`, Linux 6.5): what a
/// writeback test compares before and after the kernel was asked to write. Nil where the file
/// does not exist or the kernel has no cachestat.
public func dirtyPages(ofFileAt path: String) -> UInt64? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var dirty: UInt64 = 0, writeback: UInt64 = 0
    return clinux_dirty_pages(fd, &dirty, &writeback) == 0 ? dirty : nil
}

/// The pages of the file at `path` the page cache holds, dirty or clean (`cachestat(2)`); nil as
/// above. Opens and closes the file: not for a database a connection of this process has open,
/// since closing any descriptor of a file drops the process's POSIX locks on it.
public func cachedPages(ofFileAt path: String) -> UInt64? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var cached: UInt64 = 0
    return clinux_cached_pages(fd, &cached) == 0 ? cached : nil
}

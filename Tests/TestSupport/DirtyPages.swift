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

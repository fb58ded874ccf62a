#include <stdint.h>

// sync_file_range(2): <fcntl.h> declares it only under _GNU_SOURCE, and Swift's Glibc module is
// built without it. Declared here under a name of our own, bound to libc's symbol, so it cannot
// clash with a declaration the module does make.
extern int clinux_sync_file_range(int fd, int64_t offset, int64_t nbytes, unsigned int flags)
    __asm__("sync_file_range");

// Starts the kernel writing a file's dirty pages in [offset, offset + nbytes) to disk (all of the
// file from offset when nbytes is 0) and returns without waiting for them (SYNC_FILE_RANGE_WRITE).
// A later fsync then finds little left to write. Durability still comes from that fsync alone:
// this call neither flushes the disk's cache nor writes the file's metadata.
static inline int clinux_start_writeback(int fd, int64_t offset, int64_t nbytes) {
    return clinux_sync_file_range(fd, offset, nbytes, 2 /* SYNC_FILE_RANGE_WRITE */);
}

#include <unistd.h>

// cachestat(2), Linux 6.5 (syscall 451 on x86-64 and arm64): how many of a file's pages are in the
// page cache dirty, and how many are being written. Lets a test see that writeback was started.
// Returns -1 where the kernel has no cachestat.
static inline int clinux_dirty_pages(int fd, uint64_t *dirty, uint64_t *writeback) {
    struct { uint64_t offset, length; } range = {0, 0};
    uint64_t stat[5] = {0};
    if (syscall(451, fd, &range, stat, 0) != 0) return -1;
    *dirty = stat[1];
    *writeback = stat[2];
    return 0;
}

#include <malloc.h>

// Gives the pages of memory freed in every arena of glibc's allocator back to the kernel
// (malloc_trim(0)): after a thread's large piece of work, so that what it freed does not stay
// counted in the process's resident memory.
static inline int clinux_release_freed_memory(void) {
    return malloc_trim(0);
}

#include <fcntl.h>

// O_DIRECT: <fcntl.h> names it only under _GNU_SOURCE; glibc's __O_DIRECT is the same flag, defined
// for every architecture (040000 on x86-64, 0200000 on arm64).
static inline int clinux_o_direct(void) {
    return __O_DIRECT;
}

#ifndef SANDBOX_SQLITE_CHECKPOINT_H
#define SANDBOX_SQLITE_CHECKPOINT_H

#include <stdint.h>

// A SQLite VFS over the platform's own ("unix") that writes the pages a WAL checkpoint adds past
// the end of a database file with O_DIRECT, gathered into runs of up to 1 MiB, instead of through
// the page cache; and starts the disk's writeback of the pages a checkpoint overwrites in place.
// Everything else passes through unchanged. Why, and what keeps it as safe as SQLite's own writes:
// checkpoint_vfs.c and docs/architecture.md ("Durability").

// Registers the VFS as the process's default, once; later calls return the first call's result.
// Returns SQLITE_OK, or SQLite's error code (the process then goes on with the unix VFS).
int sandbox_checkpoint_vfs_register(void);

// What the VFS has written since the process began, for tests and diagnostics.
typedef struct {
    int64_t direct_bytes;    // pages written with O_DIRECT
    int64_t direct_writes;   // the write(2) calls that took them
    int64_t cached_bytes;    // checkpoint pages written through the page cache
    int64_t fallbacks;       // gathered runs the kernel refused directly and the cache took
} sandbox_checkpoint_counts;
void sandbox_checkpoint_vfs_counts(sandbox_checkpoint_counts *counts);

// Turns direct writes off (0) or on (1) for checkpoints that begin afterwards; on by default.
void sandbox_checkpoint_vfs_set_direct(int enabled);

// For tests: the next `count` direct writes fail with `error` (EIO, EINVAL, ...), as a disk or a
// file system would make them fail.
void sandbox_checkpoint_vfs_fail_direct_writes(int count, int error);

#endif

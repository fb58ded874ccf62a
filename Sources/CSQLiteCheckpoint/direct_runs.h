#ifndef SANDBOX_DIRECT_RUNS_H
#define SANDBOX_DIRECT_RUNS_H

// A checkpoint's consecutive pages gathered into runs of up to 1 MiB and written with O_DIRECT by a
// thread of their own, up to four runs in flight, while the checkpoint goes on copying: a direct
// write waits for the disk, and written from the checkpoint's thread it would leave that thread
// idle for as long. Internal to the checkpoint VFS (checkpoint_vfs.c).

#include <sqlite3.h>

enum { DIRECT_RUN_CAPACITY = 1 << 20, DIRECT_ALIGNMENT = 4096 };

// Writes bytes through the page cache, as SQLite's own VFS would; returns SQLite's result code.
// Called on the checkpoint's thread only, for a run (or the rest of one) the kernel did not take
// directly.
typedef int (*DirectRunsFallback)(void *context, const void *bytes, int amount, sqlite3_int64 offset);

typedef struct DirectRuns DirectRuns;

// Its buffers, made once for a file handle; NULL without the memory.
DirectRuns *direct_runs_new(void);
void direct_runs_free(DirectRuns *runs);

// Starts a checkpoint's writing to `fd` (opened with O_DIRECT). Returns 0, or an errno when no
// thread could be started (the checkpoint then goes through the cache).
int direct_runs_begin(DirectRuns *runs, int fd, DirectRunsFallback fallback, void *context);

// Adds a page (a multiple of DIRECT_ALIGNMENT long, at such an offset). A run that has to be handed
// over waits for a free buffer, and runs found failed meanwhile are written through the fallback:
// returns SQLITE_OK or the fallback's error, which SQLite must see on this page's write.
int direct_runs_add(DirectRuns *runs, const void *page, int amount, sqlite3_int64 offset);

// Whether the kernel has refused a direct write with EINVAL (a file system or file that takes
// none): the caller sends the rest through the cache and does not ask this file again.
int direct_runs_refused(DirectRuns *runs);

// Hands over the last run, waits for every run, writes the failed ones through the fallback and
// stops the thread. Returns SQLITE_OK or the first fallback error.
int direct_runs_finish(DirectRuns *runs);

#endif

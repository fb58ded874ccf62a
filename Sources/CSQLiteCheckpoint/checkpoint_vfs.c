// The checkpoint's new pages past the page cache (issue 16, session 45).
//
// Why: a large WAL transaction (a first ingest, a rule pack's first pass) ends in a checkpoint that
// copies hundreds of megabytes of pages from the WAL into the database file, 8 KiB a write(2). On
// the hosts we measured, filling fresh page-cache pages costs about 3 ms of kernel CPU a MiB, on
// one core, after both of the pass's cores have gone idle (docs/benchmarks.md, sessions 43-45);
// the same bytes written with O_DIRECT cost a thirtieth of that. Most of such a checkpoint's pages
// lie past the end the file had when the checkpoint began (new tables, new rows), so no reader has
// them in its cache and nothing is lost by not caching them.
//
// What: SQLite tells a VFS where a checkpoint's copy begins and ends (SQLITE_FCNTL_CKPT_START and
// SQLITE_FCNTL_CKPT_DONE, the latter before the -shm records the pages as copied) and, before the
// copy, how large the file will be (SQLITE_FCNTL_SIZE_HINT). The copy writes pages in ascending
// order. Between START and DONE, a page at or past the file's old end is gathered into a run of
// consecutive pages, and runs are written with O_DIRECT by a thread of their own while the copy
// goes on (direct_runs.c); pages inside the old end go through the page cache as before (they may
// be cached, and a direct write would throw the cached copy away), with the disk's writeback
// started every 8 MiB.
//
// Safe as SQLite's own writes:
// - The space is reserved (fallocate) at the size hint; if that fails, the whole checkpoint goes
//   through the cache, where SQLite sees ENOSPC at the write that meets it.
// - A run the kernel does not take directly (an error, a short write, EINVAL from a file system
//   without direct I/O) is written again through the cache, on the checkpoint's thread, as SQLite
//   would have written it; an error there is returned from the next page's xWrite, and SQLite stops
//   the copy and records nothing as copied.
// - CKPT_DONE waits for every run. Its result is ignored by SQLite, so if a run fails there directly
//   and through the cache, the process stops (abort) before SQLite can record the pages as copied:
//   the WAL still holds them and the next open recovers them, as after a kill -9 (which the agent
//   is built to survive). A clean error is not possible there; silently losing pages is worse.
// - The descriptor opened with O_DIRECT is one per file in the process, shared by every handle to
//   it, and closed only after the last handle is (descriptors.h says why).
// - Readers never read a page the copy is writing: SQLite copies only frames every reader reads
//   from the WAL, and lets readers use the database file for them only after the copy (CKPT_DONE).

#define _GNU_SOURCE
#include "sqlite_checkpoint.h"
#include "checkpoint_counts.h"
#include "descriptors.h"
#include "direct_runs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { WRITEBACK_STEP = 8 << 20 };  // cached checkpoint bytes between two writeback starts

typedef struct CheckpointFile {
    sqlite3_file base;
    sqlite3_file *real;          // the unix VFS's file, in the same allocation, after this one
    Descriptor *descriptor;      // main database files opened for writing; NULL otherwise
    char *path;                  // for the message if the process must stop
    int inCheckpoint;
    int writingDirectly;         // this checkpoint's runs have a thread
    sqlite3_int64 directFrom;    // pages at or past this offset go direct; LLONG_MAX: none do
    DirectRuns *runs;            // made at the first checkpoint that writes directly
    sqlite3_int64 cachedSinceWriteback;
} CheckpointFile;

static sqlite3_vfs *underlying;

static int writeCached(void *context, const void *data, int amount, sqlite3_int64 offset) {
    CheckpointFile *f = context;
    int rc = f->real->pMethods->xWrite(f->real, data, amount, offset);
    if (rc == SQLITE_OK && f->inCheckpoint) {
        checkpoint_counts_cached(amount);
        f->cachedSinceWriteback += amount;
        if (f->descriptor && f->cachedSinceWriteback >= WRITEBACK_STEP) {
            // Started, not waited for: the checkpoint's fsync then finds little left to write.
            sync_file_range(f->descriptor->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
            f->cachedSinceWriteback = 0;
        }
    }
    return rc;
}

static int checkpointClose(sqlite3_file *file) {
    CheckpointFile *f = (CheckpointFile *)file;
    int rc = SQLITE_OK;
    if (f->real->pMethods) rc = f->real->pMethods->xClose(f->real);
    if (f->descriptor) descriptor_release(f->descriptor);
    direct_runs_free(f->runs);
    free(f->path);
    f->descriptor = NULL;
    f->runs = NULL;
    f->path = NULL;
    return rc;
}

static int checkpointRead(sqlite3_file *file, void *data, int amount, sqlite3_int64 offset) {
    CheckpointFile *f = (CheckpointFile *)file;
    return f->real->pMethods->xRead(f->real, data, amount, offset);
}

static int checkpointWrite(sqlite3_file *file, const void *data, int amount, sqlite3_int64 offset) {
    CheckpointFile *f = (CheckpointFile *)file;
    if (!f->inCheckpoint) return f->real->pMethods->xWrite(f->real, data, amount, offset);
    if (f->writingDirectly && offset >= f->directFrom && amount > 0 && amount <= DIRECT_RUN_CAPACITY
        && amount % DIRECT_ALIGNMENT == 0 && offset % DIRECT_ALIGNMENT == 0) {
        int rc = direct_runs_add(f->runs, data, amount, offset);
        if (direct_runs_refused(f->runs)) {
            // This file system, or this file, takes no direct writes after all: not asked again
            // while the file is open.
            f->directFrom = LLONG_MAX;
            __atomic_store_n(&f->descriptor->direct, 0, __ATOMIC_RELAXED);
        }
        return rc;
    }
    return writeCached(f, data, amount, offset);
}

static int checkpointTruncate(sqlite3_file *file, sqlite3_int64 size) {
    CheckpointFile *f = (CheckpointFile *)file;
    return f->real->pMethods->xTruncate(f->real, size);
}

static int checkpointSync(sqlite3_file *file, int flags) {
    CheckpointFile *f = (CheckpointFile *)file;
    return f->real->pMethods->xSync(f->real, flags);
}

static int checkpointFileSize(sqlite3_file *file, sqlite3_int64 *size) {
    CheckpointFile *f = (CheckpointFile *)file;
    return f->real->pMethods->xFileSize(f->real, size);
}

static int checkpointLock(sqlite3_file *file, int lock) {
    CheckpointFile *f = (CheckpointFile *)file;
    return f->real->pMethods->xLock(f->real, lock);
}

static int checkpointUnlock(sqlite3_file *file, int lock) {
    CheckpointFile *f = (CheckpointFile *)file;
    return f->real->pMethods->xUnlock(f->real, lock);
}

static int checkpointCheckReservedLock(sqlite3_file *file, int *reserved) {
    CheckpointFile *f = (CheckpointFile *)file;
    return f->real->pMethods->xCheckReservedLock(f->real, reserved);
}

// The size hint of a checkpoint: reserve the space its new pages take, and send them direct.
static void reserveForCheckpoint(CheckpointFile *f, sqlite3_int64 wanted) {
    if (!f->descriptor || !__atomic_load_n(&f->descriptor->direct, __ATOMIC_RELAXED) || !checkpoint_direct_enabled()) return;
    struct stat now;
    if (fstat(f->descriptor->fd, &now) != 0) return;
    sqlite3_int64 end = (now.st_size + DIRECT_ALIGNMENT - 1) / DIRECT_ALIGNMENT * DIRECT_ALIGNMENT;
    if (end >= wanted) return;
    if (!f->runs && !(f->runs = direct_runs_new())) return;
    // Extends the file as SQLite's own SQLITE_FCNTL_CHUNK_SIZE does; the checkpoint's truncate
    // sets the exact size at its end. Without the reservation the pages go through the cache,
    // where a full disk shows at the write that meets it.
    if (fallocate(f->descriptor->fd, 0, now.st_size, wanted - now.st_size) != 0) return;
    if (direct_runs_begin(f->runs, f->descriptor->fd, writeCached, f) != 0) return;
    f->writingDirectly = 1;
    f->directFrom = end;
}

static void endCheckpoint(CheckpointFile *f) {
    int rc = f->writingDirectly ? direct_runs_finish(f->runs) : SQLITE_OK;
    if (rc != SQLITE_OK) {
        fprintf(stderr,
                "sandbox: writing a checkpoint's pages into %s failed (%s); stopping the process "
                "before SQLite records them as copied. The WAL still holds them: the next start "
                "recovers them. Check the disk.\n",
                f->path ? f->path : "the database", sqlite3_errstr(rc));
        abort();
    }
    f->inCheckpoint = 0;
    f->writingDirectly = 0;
    f->directFrom = LLONG_MAX;
}

static int checkpointFileControl(sqlite3_file *file, int op, void *argument) {
    CheckpointFile *f = (CheckpointFile *)file;
    switch (op) {
    case SQLITE_FCNTL_CKPT_START:
        f->inCheckpoint = 1;
        f->writingDirectly = 0;
        f->directFrom = LLONG_MAX;
        f->cachedSinceWriteback = 0;
        break;
    case SQLITE_FCNTL_SIZE_HINT:
        if (f->inCheckpoint && !f->writingDirectly) reserveForCheckpoint(f, *(sqlite3_int64 *)argument);
        break;
    case SQLITE_FCNTL_CKPT_DONE:
        if (f->inCheckpoint) endCheckpoint(f);
        break;
    }
    return f->real->pMethods->xFileControl(f->real, op, argument);
}

static int checkpointSectorSize(sqlite3_file *file) {
    CheckpointFile *f = (CheckpointFile *)file;
    return f->real->pMethods->xSectorSize(f->real);
}

static int checkpointDeviceCharacteristics(sqlite3_file *file) {
    CheckpointFile *f = (CheckpointFile *)file;
    return f->real->pMethods->xDeviceCharacteristics(f->real);
}

static int checkpointShmMap(sqlite3_file *file, int region, int size, int extend, void volatile **memory) {
    CheckpointFile *f = (CheckpointFile *)file;
    return f->real->pMethods->xShmMap(f->real, region, size, extend, memory);
}

static int checkpointShmLock(sqlite3_file *file, int offset, int n, int flags) {
    CheckpointFile *f = (CheckpointFile *)file;
    return f->real->pMethods->xShmLock(f->real, offset, n, flags);
}

static void checkpointShmBarrier(sqlite3_file *file) {
    CheckpointFile *f = (CheckpointFile *)file;
    f->real->pMethods->xShmBarrier(f->real);
}

static int checkpointShmUnmap(sqlite3_file *file, int deleteFlag) {
    CheckpointFile *f = (CheckpointFile *)file;
    return f->real->pMethods->xShmUnmap(f->real, deleteFlag);
}

static int checkpointFetch(sqlite3_file *file, sqlite3_int64 offset, int amount, void **pointer) {
    CheckpointFile *f = (CheckpointFile *)file;
    return f->real->pMethods->xFetch(f->real, offset, amount, pointer);
}

static int checkpointUnfetch(sqlite3_file *file, sqlite3_int64 offset, void *pointer) {
    CheckpointFile *f = (CheckpointFile *)file;
    return f->real->pMethods->xUnfetch(f->real, offset, pointer);
}

static const sqlite3_io_methods checkpointMethods = {
    3,
    checkpointClose, checkpointRead, checkpointWrite, checkpointTruncate, checkpointSync,
    checkpointFileSize, checkpointLock, checkpointUnlock, checkpointCheckReservedLock,
    checkpointFileControl, checkpointSectorSize, checkpointDeviceCharacteristics,
    checkpointShmMap, checkpointShmLock, checkpointShmBarrier, checkpointShmUnmap,
    checkpointFetch, checkpointUnfetch,
};

// ---------------------------------------------------------------------------------------------
// The VFS: the unix VFS's own methods, but for xOpen.

static int vfsOpen(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file, int flags, int *outFlags) {
    (void)vfs;
    CheckpointFile *f = (CheckpointFile *)file;
    memset(f, 0, sizeof *f);
    f->real = (sqlite3_file *)&f[1];
    f->directFrom = LLONG_MAX;
    int opened = flags;
    int rc = underlying->xOpen(underlying, name, f->real, flags, &opened);
    if (outFlags) *outFlags = opened;
    // SQLite calls xClose after a failed open whenever pMethods is set.
    if (f->real->pMethods) f->base.pMethods = &checkpointMethods;
    if (rc != SQLITE_OK || !name) return rc;
    if ((flags & SQLITE_OPEN_MAIN_DB) && (opened & SQLITE_OPEN_READWRITE)) {
        f->descriptor = descriptor_acquire(name);
        f->path = strdup(name);
    }
    return rc;
}

static int vfsDelete(sqlite3_vfs *vfs, const char *name, int syncDirectory) {
    (void)vfs;
    return underlying->xDelete(underlying, name, syncDirectory);
}

static int vfsAccess(sqlite3_vfs *vfs, const char *name, int flags, int *result) {
    (void)vfs;
    return underlying->xAccess(underlying, name, flags, result);
}

static int vfsFullPathname(sqlite3_vfs *vfs, const char *name, int size, char *out) {
    (void)vfs;
    return underlying->xFullPathname(underlying, name, size, out);
}

static void *vfsDlOpen(sqlite3_vfs *vfs, const char *name) {
    (void)vfs;
    return underlying->xDlOpen(underlying, name);
}

static void vfsDlError(sqlite3_vfs *vfs, int size, char *message) {
    (void)vfs;
    underlying->xDlError(underlying, size, message);
}

static void (*vfsDlSym(sqlite3_vfs *vfs, void *library, const char *symbol))(void) {
    (void)vfs;
    return underlying->xDlSym(underlying, library, symbol);
}

static void vfsDlClose(sqlite3_vfs *vfs, void *library) {
    (void)vfs;
    underlying->xDlClose(underlying, library);
}

static int vfsRandomness(sqlite3_vfs *vfs, int size, char *out) {
    (void)vfs;
    return underlying->xRandomness(underlying, size, out);
}

static int vfsSleep(sqlite3_vfs *vfs, int microseconds) {
    (void)vfs;
    return underlying->xSleep(underlying, microseconds);
}

static int vfsCurrentTime(sqlite3_vfs *vfs, double *now) {
    (void)vfs;
    return underlying->xCurrentTime(underlying, now);
}

static int vfsGetLastError(sqlite3_vfs *vfs, int size, char *message) {
    (void)vfs;
    return underlying->xGetLastError(underlying, size, message);
}

static int vfsCurrentTimeInt64(sqlite3_vfs *vfs, sqlite3_int64 *now) {
    (void)vfs;
    return underlying->xCurrentTimeInt64(underlying, now);
}

static int vfsSetSystemCall(sqlite3_vfs *vfs, const char *name, sqlite3_syscall_ptr call) {
    (void)vfs;
    return underlying->xSetSystemCall(underlying, name, call);
}

static sqlite3_syscall_ptr vfsGetSystemCall(sqlite3_vfs *vfs, const char *name) {
    (void)vfs;
    return underlying->xGetSystemCall(underlying, name);
}

static const char *vfsNextSystemCall(sqlite3_vfs *vfs, const char *name) {
    (void)vfs;
    return underlying->xNextSystemCall(underlying, name);
}

static sqlite3_vfs checkpointVfs;
static pthread_once_t registerOnce = PTHREAD_ONCE_INIT;
static int registered = SQLITE_ERROR;

static void registerVfs(void) {
    underlying = sqlite3_vfs_find("unix");
    if (!underlying || underlying->iVersion < 3) {
        registered = SQLITE_ERROR;
        return;
    }
    checkpointVfs = (sqlite3_vfs){
        .iVersion = 3,
        .szOsFile = (int)sizeof(CheckpointFile) + underlying->szOsFile,
        .mxPathname = underlying->mxPathname,
        .zName = "sandbox-checkpoint",
        .xOpen = vfsOpen,
        .xDelete = vfsDelete,
        .xAccess = vfsAccess,
        .xFullPathname = vfsFullPathname,
        .xDlOpen = vfsDlOpen,
        .xDlError = vfsDlError,
        .xDlSym = vfsDlSym,
        .xDlClose = vfsDlClose,
        .xRandomness = vfsRandomness,
        .xSleep = vfsSleep,
        .xCurrentTime = vfsCurrentTime,
        .xGetLastError = vfsGetLastError,
        .xCurrentTimeInt64 = vfsCurrentTimeInt64,
        .xSetSystemCall = vfsSetSystemCall,
        .xGetSystemCall = vfsGetSystemCall,
        .xNextSystemCall = vfsNextSystemCall,
    };
    registered = sqlite3_vfs_register(&checkpointVfs, 1);
}

int sandbox_checkpoint_vfs_register(void) {
    pthread_once(&registerOnce, registerVfs);
    return registered;
}

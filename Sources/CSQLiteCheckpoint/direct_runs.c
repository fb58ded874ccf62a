// See direct_runs.h.

#define _GNU_SOURCE
#include "direct_runs.h"
#include "checkpoint_counts.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { RUNS = 4, FALLBACK_PIECE = 64 << 10 };

typedef enum { FREE, FILLING, QUEUED, WRITING, WRITTEN } RunState;

typedef struct {
    unsigned char *bytes;         // DIRECT_RUN_CAPACITY, aligned to DIRECT_ALIGNMENT
    sqlite3_int64 start;
    int length;
    int written;                  // of length, once WRITTEN
    int error;                    // errno of the write that stopped short, once WRITTEN
    unsigned long order;          // runs are written in the order they were handed over
    RunState state;
} Run;

struct DirectRuns {
    Run runs[RUNS];
    int filling;                  // the run being gathered, or -1
    int fd;
    DirectRunsFallback fallback;
    void *context;
    pthread_t thread;
    int started;
    int stopping;
    int refused;
    unsigned long handedOver;
    pthread_mutex_t lock;
    pthread_cond_t changed;
};

DirectRuns *direct_runs_new(void) {
    DirectRuns *runs = calloc(1, sizeof *runs);
    if (!runs) return NULL;
    for (int i = 0; i < RUNS; i++) {
        void *bytes = NULL;
        if (posix_memalign(&bytes, DIRECT_ALIGNMENT, DIRECT_RUN_CAPACITY) != 0) {
            direct_runs_free(runs);
            return NULL;
        }
        runs->runs[i].bytes = bytes;
    }
    pthread_mutex_init(&runs->lock, NULL);
    pthread_cond_init(&runs->changed, NULL);
    runs->filling = -1;
    return runs;
}

void direct_runs_free(DirectRuns *runs) {
    if (!runs) return;
    for (int i = 0; i < RUNS; i++) free(runs->runs[i].bytes);
    free(runs);
}

// The thread: writes the runs handed over, oldest first, and marks each WRITTEN with how far it got.
static void *writeRuns(void *argument) {
    DirectRuns *runs = argument;
    pthread_mutex_lock(&runs->lock);
    for (;;) {
        Run *next = NULL;
        for (int i = 0; i < RUNS; i++) {
            Run *r = &runs->runs[i];
            if (r->state == QUEUED && (!next || r->order < next->order)) next = r;
        }
        if (!next) {
            if (runs->stopping) break;
            pthread_cond_wait(&runs->changed, &runs->lock);
            continue;
        }
        next->state = WRITING;
        pthread_mutex_unlock(&runs->lock);
        int written = 0, error = 0;
        while (written < next->length) {
            int injected = checkpoint_counts_injected_failure();
            ssize_t n = injected ? -1 : pwrite(runs->fd, next->bytes + written, (size_t)(next->length - written),
                                               next->start + written);
            if (injected) errno = injected;
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                error = n < 0 ? errno : EIO;
                break;
            }
            checkpoint_counts_direct(n);
            written += (int)n;
            // A short direct write (near a full disk) may leave the rest unaligned: the cache
            // takes it.
            if (written < next->length) {
                error = ENOSPC;
                break;
            }
        }
        pthread_mutex_lock(&runs->lock);
        next->written = written;
        next->error = error;
        next->state = WRITTEN;
        if (error == EINVAL) runs->refused = 1;
        pthread_cond_broadcast(&runs->changed);
    }
    pthread_mutex_unlock(&runs->lock);
    return NULL;
}

int direct_runs_begin(DirectRuns *runs, int fd, DirectRunsFallback fallback, void *context) {
    runs->fd = fd;
    runs->fallback = fallback;
    runs->context = context;
    runs->stopping = 0;
    runs->refused = 0;
    runs->filling = -1;
    for (int i = 0; i < RUNS; i++) runs->runs[i].state = FREE;
    int error = pthread_create(&runs->thread, NULL, writeRuns, runs);
    runs->started = error == 0;
    return error;
}

// With the lock held: writes a WRITTEN run's unwritten rest through the cache and frees it.
static int reclaim(DirectRuns *runs, Run *r) {
    int rc = SQLITE_OK;
    if (r->written < r->length) {
        pthread_mutex_unlock(&runs->lock);
        checkpoint_counts_fallback();
        // In pieces: the unix VFS's write takes at most 128 KiB less a byte at a time (it masks
        // the length with 0x1ffff), and SQLite itself never asks it for more than a page.
        for (int at = r->written; at < r->length && rc == SQLITE_OK; at += FALLBACK_PIECE) {
            int piece = r->length - at < FALLBACK_PIECE ? r->length - at : FALLBACK_PIECE;
            rc = runs->fallback(runs->context, r->bytes + at, piece, r->start + at);
        }
        pthread_mutex_lock(&runs->lock);
    }
    r->state = FREE;
    return rc;
}

static void handOver(DirectRuns *runs) {
    if (runs->filling < 0) return;
    pthread_mutex_lock(&runs->lock);
    Run *r = &runs->runs[runs->filling];
    r->state = QUEUED;
    r->order = runs->handedOver++;
    pthread_cond_broadcast(&runs->changed);
    pthread_mutex_unlock(&runs->lock);
    runs->filling = -1;
}

int direct_runs_add(DirectRuns *runs, const void *page, int amount, sqlite3_int64 offset) {
    if (runs->filling >= 0) {
        Run *r = &runs->runs[runs->filling];
        if (offset == r->start + r->length && r->length + amount <= DIRECT_RUN_CAPACITY) {
            memcpy(r->bytes + r->length, page, (size_t)amount);
            r->length += amount;
            return SQLITE_OK;
        }
        handOver(runs);
    }
    int rc = SQLITE_OK;
    int taken = -1;
    pthread_mutex_lock(&runs->lock);
    while (taken < 0) {
        for (int i = 0; i < RUNS; i++) {
            if (runs->runs[i].state != WRITTEN) continue;
            int failed = reclaim(runs, &runs->runs[i]);
            if (rc == SQLITE_OK) rc = failed;
        }
        for (int i = 0; i < RUNS && taken < 0; i++) {
            if (runs->runs[i].state == FREE) taken = i;
        }
        if (taken < 0) pthread_cond_wait(&runs->changed, &runs->lock);
    }
    Run *r = &runs->runs[taken];
    r->state = FILLING;
    pthread_mutex_unlock(&runs->lock);
    r->start = offset;
    r->length = amount;
    r->written = 0;
    r->error = 0;
    memcpy(r->bytes, page, (size_t)amount);
    runs->filling = taken;
    return rc;
}

int direct_runs_refused(DirectRuns *runs) {
    pthread_mutex_lock(&runs->lock);
    int refused = runs->refused;
    pthread_mutex_unlock(&runs->lock);
    return refused;
}

int direct_runs_finish(DirectRuns *runs) {
    if (!runs->started) return SQLITE_OK;
    handOver(runs);
    int rc = SQLITE_OK;
    pthread_mutex_lock(&runs->lock);
    for (;;) {
        int busy = 0;
        for (int i = 0; i < RUNS; i++) {
            Run *r = &runs->runs[i];
            if (r->state == QUEUED || r->state == WRITING) busy = 1;
            if (r->state == WRITTEN) {
                int failed = reclaim(runs, r);
                if (rc == SQLITE_OK) rc = failed;
            }
        }
        if (!busy) break;
        pthread_cond_wait(&runs->changed, &runs->lock);
    }
    runs->stopping = 1;
    pthread_cond_broadcast(&runs->changed);
    pthread_mutex_unlock(&runs->lock);
    pthread_join(runs->thread, NULL);
    runs->started = 0;
    return rc;
}

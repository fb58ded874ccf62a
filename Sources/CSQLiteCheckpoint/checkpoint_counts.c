// See checkpoint_counts.h.

#include "checkpoint_counts.h"
#include "sqlite_checkpoint.h"

static int64_t directBytes, directWrites, cachedBytes, fallbacks;
static int directEnabled = 1;
static int failuresToInject, injectedError;

void checkpoint_counts_direct(int64_t bytes) {
    __atomic_add_fetch(&directBytes, bytes, __ATOMIC_RELAXED);
    __atomic_add_fetch(&directWrites, 1, __ATOMIC_RELAXED);
}

void checkpoint_counts_cached(int64_t bytes) {
    __atomic_add_fetch(&cachedBytes, bytes, __ATOMIC_RELAXED);
}

void checkpoint_counts_fallback(void) {
    __atomic_add_fetch(&fallbacks, 1, __ATOMIC_RELAXED);
}

int checkpoint_direct_enabled(void) {
    return __atomic_load_n(&directEnabled, __ATOMIC_RELAXED);
}

int checkpoint_counts_injected_failure(void) {
    int left = __atomic_load_n(&failuresToInject, __ATOMIC_RELAXED);
    while (left > 0) {
        if (__atomic_compare_exchange_n(&failuresToInject, &left, left - 1, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
            return __atomic_load_n(&injectedError, __ATOMIC_RELAXED);
        }
    }
    return 0;
}

void sandbox_checkpoint_vfs_counts(sandbox_checkpoint_counts *counts) {
    counts->direct_bytes = __atomic_load_n(&directBytes, __ATOMIC_RELAXED);
    counts->direct_writes = __atomic_load_n(&directWrites, __ATOMIC_RELAXED);
    counts->cached_bytes = __atomic_load_n(&cachedBytes, __ATOMIC_RELAXED);
    counts->fallbacks = __atomic_load_n(&fallbacks, __ATOMIC_RELAXED);
}

void sandbox_checkpoint_vfs_set_direct(int enabled) {
    __atomic_store_n(&directEnabled, enabled ? 1 : 0, __ATOMIC_RELAXED);
}

void sandbox_checkpoint_vfs_fail_direct_writes(int count, int error) {
    __atomic_store_n(&injectedError, error, __ATOMIC_RELAXED);
    __atomic_store_n(&failuresToInject, count, __ATOMIC_RELAXED);
}

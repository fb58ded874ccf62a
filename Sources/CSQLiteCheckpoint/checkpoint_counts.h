#ifndef SANDBOX_CHECKPOINT_COUNTS_H
#define SANDBOX_CHECKPOINT_COUNTS_H

// The VFS's process-wide counts, its switch and the tests' injected failures (the public side is in
// include/sqlite_checkpoint.h). Internal to the checkpoint VFS.

#include <stdint.h>

void checkpoint_counts_direct(int64_t bytes);
void checkpoint_counts_cached(int64_t bytes);
void checkpoint_counts_fallback(void);
int checkpoint_direct_enabled(void);
// The errno a test asked the next direct write to fail with, or 0.
int checkpoint_counts_injected_failure(void);

#endif

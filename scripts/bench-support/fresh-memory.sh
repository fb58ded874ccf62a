# Sourced by the benchmarks that compare a run of the agent with sqlite3's `.import`
# (scripts/bench-policy-first, scripts/bench). `fresh_memory FILE…` gives the next run the same
# start whatever ran before it: written pages synced, the page cache dropped (as root;
# BENCH_KEEP_CACHE=1 or no permission leaves it), then FILE… read back, so the run's inputs are in
# memory and the rest of memory is free.
#
# Why: on this project's 2-core VM the same first pass took 8.2–8.8 s (1.54–1.72× its `.import`)
# with the page cache holding 18 GB of earlier runs' files, and 6.2–7.1 s (1.22–1.24×) right after
# the cache was dropped: the pass allocates and writes about a gigabyte, and with memory full the
# kernel reclaims the old pages on the pass's own threads (docs/benchmarks.md, issue 16, session 41).
fresh_memory() {
    sync
    if [ -z "${BENCH_KEEP_CACHE:-}" ] && [ -w /proc/sys/vm/drop_caches ]; then
        echo 1 >/proc/sys/vm/drop_caches
    fi
    [ $# -eq 0 ] || cat "$@" >/dev/null
}

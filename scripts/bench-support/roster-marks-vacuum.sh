#!/usr/bin/env bash
# The roster marks' autovacuum, default against a queue table's setting (issue 15): what the schema
# step's `ALTER TABLE roster_dirty SET (autovacuum_vacuum_scale_factor = 0.01,
# autovacuum_vacuum_threshold = 10000)` does to the outcome figures' read of the marks, and what its
# more frequent vacuums cost. At 20M merchants the read from the start of the marks' index took
# 978 ms once, stepping over millions of marks the keeper had deleted and autovacuum's default
# (20 % of the rows dead) had not yet removed.
#
# For each setting, a fresh database of one throwaway cluster: `roster_dirty` as PostgreSQL has it
# (no key, a btree on uscc) filled with N random USCC-like marks, then for D seconds, side by side,
# each one pgbench client:
#   intake  1,500 random marks a transaction, 4 a second (6,000 marks/s; the feed's batches); its
#           throughput is whether it keeps to that schedule, its latency what the vacuums cost it
#   keeper  one turn of RefreshRoster's marks (the first 500 past the cursor chosen, that range
#           deleted), the cursor kept in a table, as fast as it goes (KEEPER_RATE=R: R turns/s)
#   reader  the outcome figures' read from the start of the index, once a second
# then from the server log the autovacuums of roster_dirty in those D seconds (count, elapsed and
# CPU, index scans, index entries removed) and the dead tuples left. Prints one table, both settings side
# by side, with the machine and its load average. One run each: on a shared machine the latencies
# are noisy; the autovacuum's CPU (from its own log line) is not.
#
#   scripts/bench-support/roster-marks-vacuum.sh [N] [D]     (default 8000000 marks, 180 s; about 7 minutes on 2 cores)
#   KEEPER_RATE=5                                            (the keeper at 5 turns/s, about 2,500 marks/s as the drain at 20M;
#                                                             flat out it takes far more, and the two settings' vacuums may not differ)
#   LOGS=DIR                                                 (keep the server log and pgbench's logs in DIR)
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-8000000}
duration=${2:-180}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
psql=("$bin/psql" -X -q -At -v ON_ERROR_STOP=1)
work=$(mktemp -d /tmp/roster-marks-vacuum.XXXXXX)

# Every autovacuum logged (log_autovacuum_min_duration=0), with its CPU and elapsed time. The
# launcher looks for work every 5 s instead of every minute, so that a run of a few minutes sees
# autovacuum act (with the default minute a table past its threshold waits up to a minute for its
# vacuum; here up to 5 s, so the vacuums come a little sooner than production's would). Checkpoints
# spaced out so that one does not land in the middle of one setting's run and not the other's.
read -r pg_dir pg_url < <(POSTGRES_CLUSTER_OPTIONS="-c log_autovacuum_min_duration=0 -c shared_buffers=2GB -c autovacuum_naptime=5s -c max_wal_size=8GB -c checkpoint_timeout=30min" \
    scripts/postgres-cluster start)
cleanup() {
    if [ -n "${LOGS:-}" ]; then mkdir -p "$LOGS"; cp "$pg_dir/server.log" "$work"/*.log* "$LOGS"/ 2>/dev/null || true; fi
    scripts/postgres-cluster stop "$pg_dir"
    rm -rf "$work"
}
trap cleanup EXIT
postmaster=$(head -1 "$pg_dir/data/postmaster.pid")
url_of() { echo "${pg_url/\/sandbox_test\?//$1?}"; }

# The cluster's CPU so far, seconds: the postmaster with the children it reaped (the backends of
# finished clients, finished autovacuum workers) and its live children.
cluster_cpu() {
    python3 - "$postmaster" <<'EOF'
import os, sys
pm, tick = int(sys.argv[1]), os.sysconf("SC_CLK_TCK")
def stat(pid):
    try: return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError: return None
f = stat(pm); total = sum(int(x) for x in f[11:15])
for e in os.listdir("/proc"):
    if e.isdigit() and (s := stat(e)) and int(s[1]) == pm: total += int(s[11]) + int(s[12])
print(f"{total / tick:.1f}")
EOF
}
load() { cut -d' ' -f1-3 /proc/loadavg; }

# The statements, as pgbench scripts. USCC-like marks: '9151' and 14 random digits, 18 characters,
# spread over the whole range so that the keeper's deletes and the intake's inserts meet everywhere.
mark="'9151' || lpad(floor(random() * 1e14)::bigint::text, 14, '0')"
# The feed's batch sends its marks as one array; here the server makes the array (the same insert).
cat >"$work/intake.sql" <<EOF
INSERT INTO roster_dirty (uscc) SELECT * FROM unnest(ARRAY(SELECT $mark FROM generate_series(1, 1500)));
EOF
# One keeper turn: RefreshRoster's two statements in one transaction (its chosen rows counted and
# its last one kept here, as the keeper keeps them in memory). A full turn moves the cursor to its
# last mark; a short one has reached the end of the marks, and the next starts from the first.
# keeper_cursor also counts the turns, the marks taken and the wraps, and keeps when the first
# pass over the marks ended. After a short turn the
# keeper pauses a second (RosterKeeper's idle), rather than spin on an empty queue.
cat >"$work/keeper.sql" <<'EOF'
BEGIN;
SELECT after FROM keeper_cursor \gset
SELECT count(*) AS chosen, coalesce(max(uscc), '') AS last
  FROM (SELECT DISTINCT uscc FROM roster_dirty WHERE uscc > :after ORDER BY uscc LIMIT 500) c \gset
WITH taken AS (DELETE FROM roster_dirty WHERE uscc > :after AND uscc <= :last RETURNING uscc)
UPDATE keeper_cursor SET after = CASE WHEN :chosen = 500 THEN :last ELSE '' END,
    turns = turns + 1, taken = taken + (SELECT count(*) FROM taken),
    wraps = wraps + CASE WHEN :chosen = 500 THEN 0 ELSE 1 END,
    first_wrap = coalesce(first_wrap, CASE WHEN :chosen < 500 THEN clock_timestamp() END);
END;
\if :chosen < 500
\sleep 1 s
\endif
EOF
cat >"$work/reader.sql" <<'EOF'
SELECT DISTINCT uscc FROM roster_dirty WHERE uscc >= '' ORDER BY uscc LIMIT 20001;
EOF
schema="CREATE TABLE roster_dirty (uscc TEXT);
CREATE TABLE keeper_cursor (after TEXT NOT NULL, turns BIGINT NOT NULL, taken BIGINT NOT NULL, wraps BIGINT NOT NULL, first_wrap TIMESTAMPTZ);
INSERT INTO keeper_cursor VALUES ('', 0, 0, 0, NULL);"
# -M extended: the cursor goes as a parameter, as the keeper's prepared statements send it. A
# rate (-R) is pgbench's Poisson schedule; the one seed gives both settings the same schedule.
bench() { "$bin/pgbench" -n -M extended -c 1 -j 1 --random-seed=15 "$@"; }

# The keeper's turn checked on 1,200 marks and one duplicate: 500 enterprises (501 rows, the
# duplicate's both), the cursor on the 500th; 500 more; the last 200 and the cursor back to ''.
"${psql[@]}" "$pg_url" -c "CREATE DATABASE keeper_check"
check=$(url_of keeper_check)
"${psql[@]}" "$check" -c "$schema" -c "INSERT INTO roster_dirty SELECT '9151' || lpad(i::text, 14, '0') FROM generate_series(1, 1200) i UNION ALL SELECT '9151' || lpad('7', 14, '0')"
turns=""
for _ in 1 2 3; do
    bench -t 1 -f "$work/keeper.sql" "$check" >"$work/check.out" 2>&1 || { cat "$work/check.out" >&2; exit 1; }
    turns+="$("${psql[@]}" "$check" -c "SELECT after || '/' || taken || '/' || wraps || '/' || (SELECT count(*) FROM roster_dirty) FROM keeper_cursor") "
done
expected="915100000000000500/501/0/700 915100000000001000/1001/0/200 /1201/1/0 "
[ "$turns" = "$expected" ] || { echo "keeper turn check failed: cursor/taken/wraps/left after each turn: $turns (expected $expected)" >&2; exit 1; }
"${psql[@]}" "$pg_url" -c "DROP DATABASE keeper_check"

# p50, p99 and max of a pgbench transaction log, ms. With a rate (-R) pgbench counts a
# transaction's latency from its scheduled start; its lag behind the schedule (7th column) is
# taken off, so that this is the statement's own time; so is the keeper's pause of a second after
# a short turn (a turn of 1 s or more is taken to have paused).
percentiles() {
    awk '{ t = ($7 == "" ? $3 : $3 - $7) / 1000; if (FILENAME ~ /keeper/ && t >= 1000) t -= 1000; print t }' "$@" | sort -n | awk '
        { v[NR] = $1 }
        END { if (NR == 0) { print "- - -"; exit }
              p50 = v[int(NR * 0.50 + 0.999999)]; p99 = v[int(NR * 0.99 + 0.999999)]
              printf "%.1f %.1f %.1f\n", p50, p99, v[NR] }'
}
tps() { printf %.1f "$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$1" | head -1)"; }
declare -A r
settings=(default queue)
started=$(date -u '+%F %H:%M:%S')

for setting in "${settings[@]}"; do
    db=roster_$setting
    "${psql[@]}" "$pg_url" -c "CREATE DATABASE $db"
    url=$(url_of "$db")
    echo "== $setting: filling $n marks…" >&2
    t0=$(date +%s.%N)
    # One statement, the index built after (a build packs its pages; the production index, grown
    # by inserts, is looser). VACUUM as well as ANALYZE: the run starts from a settled table, not
    # with the vacuum autovacuum owes a table of 8M fresh inserts (counted otherwise as the run's).
    "${psql[@]}" "$url" -c "$schema" \
        -c "INSERT INTO roster_dirty SELECT $mark FROM generate_series(1, $n)" \
        -c "CREATE INDEX roster_dirty_by_uscc ON roster_dirty (uscc)" \
        -c "VACUUM (ANALYZE) roster_dirty" -c "CHECKPOINT"
    [ "$setting" = default ] || "${psql[@]}" "$url" -c "ALTER TABLE roster_dirty SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 10000)"
    echo "   filled in $(echo "$(date +%s.%N) - $t0" | bc) s; running intake, keeper and reader for $duration s…" >&2

    log_from=$(stat -c %s "$pg_dir/server.log")
    run_start=$(date +%s.%N)
    r[$setting,load0]=$(load)
    cpu0=$(cluster_cpu)
    keeper_rate=(); [ -z "${KEEPER_RATE:-}" ] || keeper_rate=(-R "$KEEPER_RATE")
    bench -T "$duration" -R 4 -f "$work/intake.sql" -l --log-prefix="$work/$setting-intake.log" "$url" >"$work/$setting-intake.out" 2>&1 &
    p1=$!
    bench -T "$duration" "${keeper_rate[@]}" -f "$work/keeper.sql" -l --log-prefix="$work/$setting-keeper.log" "$url" >"$work/$setting-keeper.out" 2>&1 &
    p2=$!
    bench -T "$duration" -R 1 -f "$work/reader.sql" -l --log-prefix="$work/$setting-reader.log" "$url" >"$work/$setting-reader.out" 2>&1 &
    p3=$!
    for p in $p1 $p2 $p3; do wait "$p" || { cat "$work/$setting"-*.out >&2; exit 1; }; done
    for part in intake keeper reader; do
        ! grep -qi "abort\|error" "$work/$setting-$part.out" || { cat "$work/$setting-$part.out" >&2; exit 1; }
    done
    r[$setting,cpu]=$(echo "$(cluster_cpu) - $cpu0" | bc)
    r[$setting,load1]=$(load)

    # The table's state at the end, before an autovacuum that was due can catch up.
    read -r r[$setting,dead] r[$setting,live] r[$setting,marks] r[$setting,turns] r[$setting,taken] r[$setting,wraps] r[$setting,pass] < <(
        "${psql[@]}" -F' ' "$url" -c "SELECT s.n_dead_tup, s.n_live_tup, (SELECT count(*) FROM roster_dirty), k.turns, k.taken, k.wraps,
                coalesce(round(extract(epoch FROM k.first_wrap) - $run_start)::text || ' s', 'not in the run')
            FROM pg_stat_user_tables s, keeper_cursor k WHERE s.relname = 'roster_dirty'")
    r[$setting,size]=$("${psql[@]}" "$url" -c "SELECT pg_size_pretty(pg_table_size('roster_dirty')) || ' + ' || pg_size_pretty(pg_relation_size('roster_dirty_by_uscc'))")

    # The autovacuums (and autoanalyzes) of roster_dirty that ended during the run, from the log.
    tail -c +"$((log_from + 1))" "$pg_dir/server.log" >"$work/$setting-server.log"
    read -r r[$setting,av] r[$setting,av_el] r[$setting,av_el_max] r[$setting,av_cpu] r[$setting,av_cpu_max] r[$setting,av_scans] r[$setting,av_removed] r[$setting,av_items] r[$setting,an] r[$setting,an_cpu] < <(
        python3 - "$work/$setting-server.log" "$db" <<'EOF'
import re, sys
text, db = open(sys.argv[1]).read(), sys.argv[2]
# An autovacuum's entry: its first line and the tab-indented lines after it.
entries = re.findall(r'automatic (?:aggressive )?(vacuum|analyze)(?: to prevent wraparound)? of table "([^"]+)"(.*?)(?=\n\S|\Z)', text, re.S)
vac, ana = [], []
for kind, table, body in entries:
    if table != f"{db}.public.roster_dirty": continue
    m = re.search(r"CPU: user: ([\d.]+) s, system: ([\d.]+) s, elapsed: ([\d.]+) s", body)
    cpu, elapsed = float(m[1]) + float(m[2]), float(m[3])
    if kind == "vacuum":
        scans = int(re.search(r"index scans: (\d+)", body)[1])
        # Tuples the vacuum pruned itself, and the dead items whose index entries it removed (those
        # and the ones pruned before, by the reads and the keeper): the entries the reader no
        # longer steps over.
        removed = int(re.search(r"tuples: (\d+) removed", body)[1])
        items = re.search(r"had (\d+) dead item identifiers removed", body)
        vac.append((elapsed, cpu, scans, removed, int(items[1]) if items else 0))
    else:
        ana.append(cpu)
col = lambda i: [v[i] for v in vac]
print(len(vac), f"{sum(col(0)):.1f}", f"{max(col(0), default=0):.1f}", f"{sum(col(1)):.2f}", f"{max(col(1), default=0):.2f}",
      sum(col(2)), sum(col(3)), sum(col(4)), len(ana), f"{sum(ana):.2f}")
EOF
    )

    read -r r[$setting,in_p50] r[$setting,in_p99] _ < <(percentiles "$work/$setting-intake".log*)
    # The intake's rate is set, so its throughput is whether it kept to it: its most behind schedule.
    r[$setting,in_lag]=$(awk '$7 > m { m = $7 } END { printf "%.0f", m / 1000 }' "$work/$setting-intake".log*)
    read -r r[$setting,kp_p50] r[$setting,kp_p99] r[$setting,kp_max] < <(percentiles "$work/$setting-keeper".log*)
    read -r r[$setting,rd_p50] r[$setting,rd_p99] r[$setting,rd_max] < <(percentiles "$work/$setting-reader".log*)
    r[$setting,reads]=$(cat "$work/$setting-reader".log* | wc -l)
    # When in the run the slowest reads came (seconds from the start), the three slowest.
    first=$(head -1 "$work/$setting-reader".log* | awk '{ print $5 }')
    r[$setting,rd_when]=$(awk -v t0="$first" '{ printf "%.0f ms @%ds\n", ($7 == "" ? $3 : $3 - $7) / 1000, $5 - t0 }' "$work/$setting-reader".log* \
        | sort -rn | head -3 | paste -sd, | sed 's/,/, /g')
    r[$setting,in_tps]=$(tps "$work/$setting-intake.out")
    r[$setting,kp_tps]=$(tps "$work/$setting-keeper.out")
    "${psql[@]}" "$pg_url" -c "DROP DATABASE $db"
done

per_s() { echo "scale=0; $1 / $duration" | bc; }
share() { printf %.1f "$(echo "scale=3; 100 * $1 / $duration" | bc)"; }
mem_gib=$(awk '/MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)
echo
echo "== roster_dirty autovacuum: $n marks, $duration s of intake + keeper + reader per setting; $started – $(date -u '+%H:%M:%S') UTC"
echo "== machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), ${mem_gib} GiB RAM, $(uname -r), $("$bin/postgres" --version)"
echo "== keeper: $([ -n "${KEEPER_RATE:-}" ] && echo "$KEEPER_RATE turns/s" || echo "flat out"); intake 4 × 1,500 marks/s; reader 1/s; autovacuum_naptime 5 s, shared_buffers 2 GB"
row() { printf "%-44s %22s %22s\n" "$@"; }
row "" default "queue (1 % + 10,000)"
row "load average before" "${r[default,load0]}" "${r[queue,load0]}"
row "load average after" "${r[default,load1]}" "${r[queue,load1]}"
for s in "${settings[@]}"; do
    r[$s,in]="${r[$s,in_tps]} tps, $(printf %.0f "$(echo "${r[$s,in_tps]} * 1500" | bc)")/s"
    r[$s,in_lat]="${r[$s,in_p50]} / ${r[$s,in_p99]}"
    r[$s,kp]="${r[$s,kp_tps]}/s, $(per_s "${r[$s,taken]}")/s"
    r[$s,kp_lat]="${r[$s,kp_p50]} / ${r[$s,kp_p99]} / ${r[$s,kp_max]}"
    r[$s,rd]="${r[$s,rd_p50]} / ${r[$s,rd_p99]} / ${r[$s,rd_max]}"
    r[$s,av_sum]="${r[$s,av_el]} / ${r[$s,av_el_max]}"
    r[$s,av_c]="${r[$s,av_cpu]} / ${r[$s,av_cpu_max]}"
    r[$s,av_share]="$(share "${r[$s,av_cpu]}") %"
    r[$s,srv]="${r[$s,cpu]} s ($(share "${r[$s,cpu]}") %)"
done
row "intake: achieved, marks inserted" "${r[default,in]}" "${r[queue,in]}"
row "intake latency p50 / p99 ms" "${r[default,in_lat]}" "${r[queue,in_lat]}"
row "intake: most behind its schedule ms" "${r[default,in_lag]}" "${r[queue,in_lag]}"
row "keeper: turns, marks deleted" "${r[default,kp]}" "${r[queue,kp]}"
row "keeper: wraps, first pass ended at" "${r[default,wraps]}, ${r[default,pass]}" "${r[queue,wraps]}, ${r[queue,pass]}"
row "keeper latency p50 / p99 / max ms" "${r[default,kp_lat]}" "${r[queue,kp_lat]}"
row "reader reads" "${r[default,reads]}" "${r[queue,reads]}"
row "reader latency p50 / p99 / max ms" "${r[default,rd]}" "${r[queue,rd]}"
row "autovacuums of roster_dirty" "${r[default,av]}" "${r[queue,av]}"
row "  elapsed sum / max s" "${r[default,av_sum]}" "${r[queue,av_sum]}"
row "  CPU (user+sys) sum / max s" "${r[default,av_c]}" "${r[queue,av_c]}"
row "  CPU as a share of one core" "${r[default,av_share]}" "${r[queue,av_share]}"
row "  index scans / tuples removed" "${r[default,av_scans]} / ${r[default,av_removed]}" "${r[queue,av_scans]} / ${r[queue,av_removed]}"
row "  dead items' index entries removed" "${r[default,av_items]}" "${r[queue,av_items]}"
row "autoanalyzes, CPU sum s" "${r[default,an]}, ${r[default,an_cpu]}" "${r[queue,an]}, ${r[queue,an_cpu]}"
row "server CPU, all processes (share of a core)" "${r[default,srv]}" "${r[queue,srv]}"
row "at the end: n_dead_tup" "${r[default,dead]}" "${r[queue,dead]}"
row "at the end: marks (count), n_live_tup" "${r[default,marks]}, ${r[default,live]}" "${r[queue,marks]}, ${r[queue,live]}"
row "at the end: table + index size" "${r[default,size]}" "${r[queue,size]}"
echo "slowest reads: default ${r[default,rd_when]}; queue ${r[queue,rd_when]}"

# PostgreSQL intake, binaries side by side (issue 15): the same prepared batches loaded through
# one node of each binary in turn, each on a fresh database of one throwaway cluster, with the
# CPU each side spent (the node's, and the cluster's: the postmaster, its live children and the
# children it reaped) and where the server's time went (pg_stat_statements). Used by
# scripts/bench-pg-intake; prints one block per run.
#
#   python3 intake_pair.py prepare FOLDER --merchants N --platforms P   (scale.py's batch folder)
#   python3 intake_pair.py run FOLDER --bin BIN --pg-url URL --postmaster PID --work DIR [--label L] [--top K]
#   (--bin sqlite:BIN: the same load on a fresh SQLite file; the cluster's CPU is then only its idle)
import argparse, http.client, os, signal, subprocess, sys, time, urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scale  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def prepare(folder, merchants, platforms):
    scale.report_generated(scale.generate(folder, merchants, platforms), folder)


def cpu(pid, children=False):
    """utime + stime (and, for `children`, those of the reaped children) in seconds."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    t = int(fields[11]) + int(fields[12])
    if children:
        t += int(fields[13]) + int(fields[14])
    return t / TICKS


def cluster_cpu(postmaster):
    """The cluster's CPU so far: the postmaster with what it reaped, and its live children."""
    total = cpu(postmaster, children=True)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
            if ppid == postmaster:
                total += cpu(int(entry))
    return total


def psql(url, sql):
    return subprocess.run(["psql", "-qtA", url, "-c", sql], check=True, capture_output=True, text=True).stdout


def run(args):
    batches = scale.batches_in(args.folder)
    sqlite = args.bin.startswith("sqlite:")
    binary = args.bin.removeprefix("sqlite:")
    if sqlite:
        # The same load on SQLite, for comparison: a fresh file; the node's CPU is all of it.
        url = None
        node_db = f"{args.work}/sqlite-{os.getpid()}.db"
    else:
        base = args.pg_url.split("?")[0]
        admin = base.rsplit("/", 1)[0] + "/postgres"
        db = "intake_pair"
        psql(admin, f"DROP DATABASE IF EXISTS {db}")
        psql(admin, f"CREATE DATABASE {db}")
        url = base.rsplit("/", 1)[0] + f"/{db}"
        psql(url, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        node_db = url + "?sslmode=disable"
    subprocess.run([binary, "rulepack", "publish", f"{args.work}/rulepack.toml", "--keys", f"{args.work}/rulepack-key.pub",
                    "--db", node_db], check=True, capture_output=True)
    port = scale_free_port()
    log = open(f"{args.work}/node-{args.label}.log", "a")
    node = subprocess.Popen([binary, "serve", "--listen", f"127.0.0.1:{port}", "--db", node_db, "--platforms",
                             f"{args.work}/platforms.toml"], stdout=log, stderr=log)
    try:
        for _ in range(300):
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        if url:
            psql(url, "SELECT pg_stat_statements_reset()")
        load0 = os.getloadavg()[0]
        node0, pg0 = cpu(node.pid), cluster_cpu(args.postmaster)
        items, dt, statuses = scale.send([f"http://127.0.0.1:{port}"], batches, 4)
        node1 = cpu(node.pid)
        # What the roster keeper decided while the load ran, and what it left marked.
        keeper = ("SELECT (SELECT count(*) FROM regulator_roster) || ' decided, ' || "
                  "(SELECT count(DISTINCT uscc) FROM roster_dirty) || ' still marked'")
        if url:
            kept = psql(url, keeper).strip()
        else:
            kept = subprocess.run(["sqlite3", node_db, keeper], capture_output=True, text=True).stdout.strip()
        # The node's backends exit with it; the postmaster then has reaped them.
        node.send_signal(signal.SIGTERM)
        node.wait(timeout=60)
        time.sleep(0.5)
        pg1 = cluster_cpu(args.postmaster)
        print(f"{args.label}: {items:,} items in {dt:.1f} s = {items / dt:,.0f} items/s; node CPU {node1 - node0:.2f} s, "
              f"PostgreSQL CPU {pg1 - pg0:.2f} s, both {node1 - node0 + pg1 - pg0:.2f} s; load {load0:.2f} -> "
              f"{os.getloadavg()[0]:.2f}; statuses {statuses}; keeper at the end: {kept}", flush=True)
        if args.top and url:
            print(psql(url, f"""
                SELECT calls, round(total_exec_time::numeric, 0) AS ms, round((total_exec_time / calls)::numeric, 1) AS mean,
                       rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 110)
                FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT {args.top}"""), flush=True)
            print("tables read whole (seq_scan, seq_tup_read, n_tup_ins):")
            print(psql(url, """
                SELECT relname, seq_scan, seq_tup_read, n_tup_ins FROM pg_stat_user_tables
                WHERE seq_tup_read > 0 ORDER BY seq_tup_read DESC LIMIT 12"""), flush=True)
    finally:
        if node.poll() is None:
            node.kill()


def scale_free_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("folder")
    p.add_argument("--merchants", type=int, required=True)
    p.add_argument("--platforms", type=int, default=9)
    r = sub.add_parser("run")
    r.add_argument("folder")
    r.add_argument("--bin", required=True)
    r.add_argument("--pg-url", required=True)
    r.add_argument("--postmaster", type=int, required=True)
    r.add_argument("--work", required=True)
    r.add_argument("--label", default="run")
    r.add_argument("--top", type=int, default=0)
    a = ap.parse_args()
    if a.cmd == "prepare":
        prepare(a.folder, a.merchants, a.platforms)
    else:
        run(a)

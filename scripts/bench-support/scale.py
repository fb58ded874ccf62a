# The regulator at scale (issue 15), driven as agents drive it: signed gzip feed batches posted
# over keep-alive connections, several platforms at once, to one or two release
# `sandbox-regulator serve` nodes; then staff queries timed. Prints one line per figure.
#
#   python3 scripts/bench-support/scale.py generate FOLDER --merchants N --platforms P   (the batches, once, to disk)
#   python3 scripts/bench-support/scale.py load  --nodes URL[,URL] --batches FOLDER [--senders K]
#   python3 scripts/bench-support/scale.py load  --nodes URL[,URL] --merchants N --platforms P [--senders K]
#                                                (generated into a temporary folder first)
#   python3 scripts/bench-support/scale.py query --node URL --samples S --merchants N
#
# The platforms file the nodes use is written by `platforms FILE P` (tokens and secrets derived
# from the platform id). Enterprises trade on 1–4 platforms (large sellers on several); per
# storefront a merchant item, a findings set for about a third, a case for one in twenty.
import gzip, hashlib, hmac, html, http.client, json, os, random, re, shutil, sys, tempfile, threading, time, traceback, urllib.parse

ADMIN = "bench-admin-token"


def platform_id(i):
    return f"p{i:03d}"


def token(p):
    return f"token-{p}-bench"


def secret(p):
    return f"secret-{p}-bench"


USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc(n):
    # 18 characters; 5101xx divisions so districts have enterprises; the check character of
    # GB 32100-2015 computed, so the console's uploaded lists (which check it) take these codes.
    division = ["510104", "510105", "510106", "510107", "510108", "510112"][n % 6]
    org = "MNPQ"[n // 10_000_000] + f"{n % 10_000_000:07d}"  # GB 11714: 8 characters and their check
    org_sum = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(org, [3, 7, 9, 10, 5, 8, 4, 2]))
    body = f"91{division}{org}" + {10: "X", 11: "0"}.get(11 - org_sum % 11, str(11 - org_sum % 11))
    check = (31 - sum(USCC_CHARS.index(c) * w for c, w in zip(body, USCC_WEIGHTS)) % 31) % 31
    return body + USCC_CHARS[check]


def write_platforms(path, count):
    with open(path, "w") as f:
        f.write(f'admin_token = "{ADMIN}"\n')
        for i in range(count):
            p = platform_id(i)
            f.write(f'[[platform]]\nid = "{p}"\ntoken = "{token(p)}"\nhmac_secret = "{secret(p)}"\n')
    os.chmod(path, 0o600)


def storefronts(merchants, platforms, seed=7):
    """(platform index, merchant key, uscc, region) for `merchants` storefronts."""
    rng = random.Random(seed)
    made, enterprise = 0, 0
    while made < merchants:
        enterprise += 1
        shops = min(merchants - made, rng.choices([1, 2, 3, 4], weights=[70, 18, 8, 4])[0])
        for p in rng.sample(range(platforms), min(shops, platforms)):
            made += 1
            yield p, f"m{made:09d}", uscc(enterprise), uscc(enterprise)[2:8]


def digits(text):
    """A content hash as the feed format wants it: decimal digits (docs/sync.md)."""
    return str(int(hashlib.sha256(text.encode()).hexdigest()[:15], 16))


def draws(rng):
    """The random choices of one storefront's items, drawn in the order items_for used to draw
    them: a generator worker draws them for every storefront (so the stream stays the same) and
    builds items only for its own platforms."""
    findings, case = rng.random() < 0.34, rng.random() < 0.05
    letter = rng.choices("ABCD", weights=[60, 25, 10, 5])[0] if POLICY_ITEMS else None
    return findings, case, letter


def items_for(p, key, code, region, drawn):
    findings, case, letter = drawn
    pid = platform_id(p)
    data = {"platform_merchant_id": key, "shop_name": f"店铺{key}", "entity_type": "enterprise", "uscc": code,
            "registered_name": f"成都{key}商贸有限公司", "legal_representative": "张三", "region_code": region,
            "category": "general", "status": "open", "opened_at": "2024-03-01"}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    out = [{"type": "merchant", "platform_id": pid, "key": key, "uscc": code,
            "content_hash": digits(text), "data": data}]
    if findings:
        f = {"current": [{"code": "RL-01", "severity": "minor", "message": "店铺未公示营业执照信息", "basis": "电子商务法 第15条"}]}
        out.append({"type": "findings", "platform_id": pid, "key": key, "uscc": code, "content_hash": digits("f" + key), "data": f})
    if case:
        c = {"case_id": f"{pid}-case-{key}", "rule_id": "RL-02", "state": "open", "opened_at": "2026-11-20T10:00:00+08:00", "deadline": "2026-11-27",
             "platform_merchant_id": key}
        out.append({"type": "case", "platform_id": pid, "key": f"{pid}-case-{key}", "uscc": code, "content_hash": digits("c" + key), "data": c})
    out += queue_cases(pid, key, code)
    if POLICY_ITEMS:
        # The agent's class and roster proposal for every storefront, as a running agent sends
        # them (docs/policy.md §10.1): the regulator decides the roster from these.
        member = letter == "A" and not any(i["type"] == "case" for i in out)
        pack = {"pack_version": "chengdu-2026.1", "pack_serial": 1}
        out.append({"type": "class", "platform_id": pid, "key": key, "uscc": code, "content_hash": digits("k" + key + letter), **pack,
                    "data": {"class": letter, "class_name": f"信用风险{letter}", "points": 80, "since": "2026-02-01", "explanation": {}}})
        out.append({"type": "roster", "platform_id": pid, "key": key, "uscc": code, "content_hash": digits("r" + key + str(member)), **pack,
                    "data": {"member": member, "member_since": "2026-03-01" if member else None, "source": "agent",
                             "decision": {"decision": "admitted" if member else "removed", "at": "2026-03-01T00:05:00+08:00",
                                          "criteria": [], "directive_id": None}, "readmit_not_before": None}})
    return out


def queue_cases(pid, key, code):
    """The officers' queues at a size to work in bulk (issue 14): one storefront in a hundred has a
    suspension its agent proposes, waiting for the district's confirmation, and one in a hundred a
    rectified case with an art. 33 recommendation to decide. Chosen by the storefront's number, not
    the random stream, so the other items stay those of the earlier runs."""
    n = int(key[1:])
    if n % 100 == 7:
        case = f"{pid}-overdue-{key}"
        return [{"type": "case", "platform_id": pid, "key": case, "uscc": code, "content_hash": digits("o" + key), "data": {
            "case_id": case, "rule_id": "RL-02", "rule_title": "未亮照经营", "severity": "general", "addressee": "merchant",
            "state": "overdue", "platform_merchant_id": key, "opened_at": "2026-11-01T10:00:00+08:00", "deadline": "2026-11-11",
            "lead": {"kind": "违法预警线索", "reason": "未在店铺首页亮照", "basis": "电子商务法第十五条",
                     "evidence": [{"field": "finding", "found": "LICENCE_NOT_DISPLAYED", "source": "merchant"}]},
            "steps": [], "steps_issued": 1, "suspension_in_force": False,
            "proposal": {"step": 2, "kind": "suspend", "state": "pending", "first_proposed_at": "2026-11-20T00:05:00+08:00",
                         "proposed_at": "2026-11-20T00:05:00+08:00", "deferred_until": None,
                         "action": "平台应暂停为其提供网络交易平台服务", "basis": "电子商务法第三十六条"}}}]
    if n % 100 == 13:
        case = f"{pid}-rectified-{key}"
        return [{"type": "case", "platform_id": pid, "key": case, "uscc": code, "content_hash": digits("d" + key), "data": {
            "case_id": case, "rule_id": "RL-02", "severity": "minor", "state": "rectified", "platform_merchant_id": key,
            "opened_at": "2026-11-01T09:00:00+08:00", "rectified_at": "2026-11-05T10:00:00+08:00", "in_time": True,
            "determination": {"result": "no_penalty", "basis": "《中华人民共和国行政处罚法》第三十三条",
                              "criteria": {"first": {"holds": True, "earlier_cases": []}},
                              "note": "请认真学习电子商务法，依法亮照经营。"}}}]
    return []


# BENCH_POLICY_ITEMS=0: merchants, findings and cases only (the runs before 2026-12-03).
POLICY_ITEMS = os.environ.get("BENCH_POLICY_ITEMS", "1") != "0"


class Sender(threading.Thread):
    """Posts one platform set's batches in order over one keep-alive connection, each read from
    its file just before it is sent (the loader holds one batch at a time, not the load)."""

    def __init__(self, url, batches):
        super().__init__()
        self.url, self.batches, self.statuses, self.items = urllib.parse.urlparse(url), batches, {}, 0

    def run(self):
        conn = http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=600)
        for pid, key, path, count in self.batches:
            with open(path, "rb") as f:
                body = f.read()
            while True:
                stamp = str(int(time.time()))
                message = "\n".join(["sandbox-link-v2", "POST", "/v1/feeds", key, stamp, hashlib.sha256(body).hexdigest()])
                sig = hmac.new(secret(pid).encode(), message.encode(), hashlib.sha256).hexdigest()
                try:
                    conn.request("POST", "/v1/feeds", body=body, headers={
                        "Authorization": f"Bearer {token(pid)}", "X-Sandbox-Signature": f"sha256={sig}",
                        "X-Sandbox-Timestamp": stamp, "Content-Encoding": "gzip", "Idempotency-Key": key,
                        "Content-Type": "application/x-ndjson"})
                    r = conn.getresponse()
                    r.read()
                except (ConnectionError, http.client.HTTPException):
                    conn = http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=600)
                    time.sleep(0.5)
                    continue
                if r.status in (429, 503):
                    time.sleep(float(r.getheader("Retry-After") or 1))
                    continue
                self.statuses[r.status] = self.statuses.get(r.status, 0) + 1
                self.items += count
                break


# The batch folder: one subfolder per platform (p000, p001, …) holding that platform's gzip
# batches in send order (000000.ndjson.gz, …), and batches.json, written last, with what was
# generated — its presence says the folder is complete, so a folder can be kept between runs
# (BENCH_SCALE_BATCHES) and reused when it holds the same load. Generated once before the timed
# intake, streamed from disk during it: the loader's memory does not grow with the merchants (a
# Python list of every item was tens of GB at 20,000,000 merchants).
MANIFEST = "batches.json"


def batch_file(folder, p, n):
    return os.path.join(folder, platform_id(p), f"{n:06d}.ndjson.gz")


def wanted(merchants, platforms, batch):
    """What a batch folder must hold to be reused: the load's size and the generator's choices."""
    return {"merchants": merchants, "platforms": platforms, "batch": batch, "policy_items": POLICY_ITEMS,
            "seeds": {"storefronts": 7, "items": 11}, "version": 1}


def generate(folder, merchants, platforms, batch=5000, workers=None):
    """Writes every platform's batches of `batch` items to `folder` (the items and their order
    those of the storefronts' order, as agents send them), each batch compressed as it is written:
    at most one open batch per platform in memory. Returns the manifest; a folder that already
    holds the same load is reused as it is. `workers` processes (default one per core) each write
    a share of the platforms: every worker walks all storefronts and draws their choices (the
    cheap part), and builds, encodes and compresses only its own platforms' items (the dear part),
    so the bytes are those one process writes (20,000,000 merchants: 52 min on one core)."""
    want = wanted(merchants, platforms, batch)
    try:
        with open(os.path.join(folder, MANIFEST)) as f:
            manifest = json.load(f)
        if {k: manifest.get(k) for k in want} == want:
            manifest["reused"] = True
            return manifest
    except (FileNotFoundError, ValueError):
        pass
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        if re.fullmatch(r"p\d{3}", name):
            shutil.rmtree(os.path.join(folder, name))
    started = time.time()
    workers = max(1, min(workers or os.cpu_count() or 1, platforms))
    children = []
    for w in range(workers):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            code = 1
            try:
                counts = generate_share(folder, merchants, platforms, batch, w, workers)
                with os.fdopen(write_end, "w") as out:
                    json.dump({str(p): c for p, c in counts.items()}, out)
                code = 0
            except BaseException:
                traceback.print_exc()  # os._exit below would drop it: say why the worker failed
            finally:
                os._exit(code)
        os.close(write_end)
        children.append((pid, read_end))
    counts = {}
    for pid, read_end in children:
        with os.fdopen(read_end) as f:
            text = f.read()
        _, status = os.waitpid(pid, 0)
        if status != 0:
            sys.exit(f"scale.py generate: a worker failed (status {status}); the folder {folder} is incomplete")
        counts.update({int(p): c for p, c in json.loads(text).items()})
    manifest = dict(want, items=sum(sum(c) for c in counts.values()),
                    batches={platform_id(p): c for p, c in sorted(counts.items())},
                    bytes=sum(os.path.getsize(batch_file(folder, p, n)) for p, c in counts.items() for n in range(len(c))),
                    seconds=round(time.time() - started, 1), workers=workers)
    with open(os.path.join(folder, MANIFEST + ".new"), "w") as f:
        json.dump(manifest, f)
    os.replace(os.path.join(folder, MANIFEST + ".new"), os.path.join(folder, MANIFEST))
    manifest["reused"] = False
    return manifest


def generate_share(folder, merchants, platforms, batch, share, shares):
    """One worker's part of generate: the batches of the platforms p with p % shares == share.
    Returns {platform index: items per batch written}."""
    rng = random.Random(11)
    counts, open_batches = {}, {}  # platform index → items per batch written / [file, gzip stream, items in it]

    def close(p):
        raw, gz, n = open_batches.pop(p)
        gz.close()
        raw.close()
        counts.setdefault(p, []).append(n)

    for p, key, code, region in storefronts(merchants, platforms):
        drawn = draws(rng)
        if p % shares != share:
            continue
        for item in items_for(p, key, code, region, drawn):
            if p not in open_batches:
                os.makedirs(os.path.join(folder, platform_id(p)), exist_ok=True)
                raw = open(batch_file(folder, p, len(counts.get(p, []))), "wb")
                # mtime 0 and no name in the header: the same seed gives the same bytes.
                open_batches[p] = [raw, gzip.GzipFile(filename="", mode="wb", compresslevel=1, fileobj=raw, mtime=0), 0]
            entry = open_batches[p]
            entry[1].write((json.dumps(item, ensure_ascii=False) + "\n").encode())
            entry[2] += 1
            if entry[2] == batch:
                close(p)
    for p in list(open_batches):
        close(p)
    return counts


def batches_in(folder):
    """The generated batches, in order: {platform index: [(pid, key, file, items)]}."""
    with open(os.path.join(folder, MANIFEST)) as f:
        manifest = json.load(f)
    return {int(pid[1:]): [(pid, f"{pid}-b{n}", batch_file(folder, int(pid[1:]), n), count) for n, count in enumerate(counts)]
            for pid, counts in manifest["batches"].items()}


def report_generated(manifest, folder):
    took = f"generated earlier in {manifest['seconds']:.1f} s, reused" if manifest["reused"] else f"generated in {manifest['seconds']:.1f} s"
    print(f"batches: {manifest['items']:,} items ({manifest['merchants']:,} merchants, {manifest['platforms']} platforms) "
          f"in {sum(len(c) for c in manifest['batches'].values()):,} batches, {manifest['bytes'] / 1048576:,.0f} MiB gzip in {folder}; "
          f"{took}", flush=True)


def send(nodes, batches, senders):
    """Posts the batches: senders take whole platforms (a platform's batches stay in order, as its
    agent sends them) and alternate between the nodes. Returns (items, seconds, statuses)."""
    groups = [[] for _ in range(senders)]
    for n, p in enumerate(sorted(batches)):
        groups[n % senders].extend(batches[p])
    threads = [Sender(nodes[n % len(nodes)], g) for n, g in enumerate(groups) if g]
    t = time.time()
    for s in threads:
        s.start()
    for s in threads:
        s.join()
    dt = time.time() - t
    statuses = {}
    for s in threads:
        for k, v in s.statuses.items():
            statuses[k] = statuses.get(k, 0) + v
    return sum(s.items for s in threads), dt, statuses


def load(nodes, folder, senders):
    """Sends the batches generated in `folder` and prints the intake."""
    batches = batches_in(folder)
    total_items = sum(b[3] for bs in batches.values() for b in bs)
    load0 = os.getloadavg()[0]
    _, dt, statuses = send(nodes, batches, senders)
    load1 = os.getloadavg()[0]
    stats = json.loads(timed_get(http.client.HTTPConnection(urllib.parse.urlparse(nodes[0]).hostname,
                                                              urllib.parse.urlparse(nodes[0]).port), "/v1/admin/stats")[2])
    print(f"stored: {sum(stats['records_by_type'].values()):,} records, {stats['items_rejected']:,} items rejected, "
          f"{stats['distinct_uscc']:,} enterprises", flush=True)
    print(f"intake: {total_items:,} items in {dt:.1f} s = {total_items / dt:,.0f} items/s over {len(nodes)} node(s), "
          f"{min(senders, len(batches))} senders, statuses {statuses}; load average {load0:.2f} -> {load1:.2f}", flush=True)


def timed_get(conn, path, bearer=ADMIN, cookie=None):
    t = time.perf_counter()
    # The console knows its staff by the session cookie alone (docs/console.md); the API by the header.
    headers = {"Cookie": f"sandbox_console={cookie}"} if cookie else {"Authorization": f"Bearer {bearer}"}
    conn.request("GET", path, headers=headers)
    r = conn.getresponse()
    body = r.read()
    return (time.perf_counter() - t) * 1000, r.status, body


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def district_officer(conn, district):
    """A district officer's session token (the account made with the admin token, as staff are)."""
    return staff_session(conn, "district", district)


def staff_session(conn, role, district=None, name=None):
    """A staff member's session token: the API's bearer, and the console's cookie."""
    name = name or f"{role}-{district or 'city'}-{random.randrange(1 << 30)}"
    account = {"username": name, "role": role, "password": "bench officer password"}
    if district:
        account["district"] = district
    body = json.dumps(account)
    conn.request("POST", "/v1/admin/staff", body=body, headers={"Authorization": f"Bearer {ADMIN}", "Content-Type": "application/json"})
    r = conn.getresponse(); answer = r.read()
    if r.status != 201:
        raise SystemExit(f"cannot create the district officer: {r.status} {answer[:300]!r}")
    conn.request("POST", "/v1/staff/login", body=json.dumps({"username": name, "password": "bench officer password"}),
                 headers={"Content-Type": "application/json"})
    r = conn.getresponse(); answer = r.read()
    if r.status != 200:
        raise SystemExit(f"the district officer cannot log in: {r.status} {answer[:300]!r}")
    return json.loads(answer)["token"]


def query(node, samples, merchants):
    u = urllib.parse.urlparse(node)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=600)
    rng = random.Random(5)
    enterprises = max(1, int(merchants / 1.5))
    # 锦江区 holds a sixth of the enterprises here (uscc() spreads them over six divisions).
    officer = district_officer(conn, "510104")
    cases = {
        "profile": (lambda: f"/v1/admin/merchants/{uscc(rng.randint(1, enterprises))}", ADMIN),
        "district lead queue (510104)": (lambda: "/v1/admin/leads?limit=50&pending=true", officer),
        "city lead queue": (lambda: "/v1/admin/leads?limit=50&pending=true", ADMIN),
        "stats": (lambda: "/v1/admin/stats", ADMIN),
        "outcome figures": (lambda: "/v1/admin/reports/outcomes?from=2026-01-01&to=2026-12-31", ADMIN),
    }
    city = staff_session(conn, "city")
    # The console's pages as staff open them (issue 14: each under 200 ms at city scale).
    pages = {
        "console dashboard (district)": (lambda: "/console/dashboard", officer),
        # The city's "due today" reads the city's queue, the largest.
        "console dashboard (city)": (lambda: "/console/dashboard", city),
        "console search, shop-name prefix (city)": (lambda: f"/console/search?q=%E5%BA%97%E9%93%BAm{rng.randint(1, merchants):09d}"[:-2], city),
        "console search, USCC (district)": (lambda: f"/console/search?q={uscc(6 * rng.randint(1, enterprises // 6))}", officer),
        "console enterprise page (city)": (lambda: f"/console/enterprises/{uscc(rng.randint(1, enterprises))}", city),
        "console lead queue (district)": (lambda: "/console/leads", officer),
        "console proposals (district)": (lambda: "/console/proposals", officer),
        "console art. 33 recommendations (district)": (lambda: "/console/determinations", officer),
        "console roster (district)": (lambda: "/console/roster", officer),
        "console roster, a later page (district)": (lambda: f"/console/roster?after={uscc(6 * rng.randint(1, enterprises // 6))}", officer),
        "console roster, members of class A (city)": (lambda: "/console/roster?member=yes&class=A", city),
        "console roster, class D (district)": (lambda: "/console/roster?class=D", officer),
        "console roster decision (city)": (lambda: f"/console/roster/{uscc(rng.randint(1, enterprises))}", city),
        "console platforms (city)": (lambda: "/console/platforms", city),
        "console platform's directives awaiting receipts (city)": (lambda: f"/console/platforms/{platform_id(0)}", city),
        "console associations (city)": (lambda: "/console/associations", city),
        "console directives sent and their receipts (city)": (lambda: "/console/directives", city),
        "console directives of one enterprise (city)": (lambda: f"/console/directives?uscc={uscc(rng.randint(1, enterprises))}", city),
    }
    if os.environ.get("BENCH_SCALE_CONSOLE", "1") == "0":
        pages = {}  # an older regulator without these pages, side by side
    elif os.environ.get("BENCH_SCALE_ACTIONS", "1") == "0":
        pass  # the pages only: no form that acts (a city draw at national scale takes minutes)
    else:
        # The forms that act (bulk previews, a directive to a list, a draw) make the data the
        # pages below then show: directives issued by hand, draws.
        pages.update(console_actions(conn, officer, rng, enterprises))
    for name, (path, bearer) in list(cases.items()) + [(k, (p, c)) for k, (p, c) in pages.items()]:
        times, statuses = [], {}
        console = name.startswith("console")
        # A console page is what a person opens: a handful of samples tells its time.
        n = samples if name == "profile" else 5 if console else max(5, samples // 10)
        sizes = []
        for _ in range(n):
            ms, status, body = timed_get(conn, path(), None if console else bearer, cookie=bearer if console else None)
            times.append(ms)
            sizes.append(len(body))
            statuses[status] = statuses.get(status, 0) + 1
        # The answer's size shows it is the page asked for (not a login page or an error).
        print(f"{name}: p50 {percentile(times, 0.5):.1f} ms, p99 {percentile(times, 0.99):.1f} ms "
              f"({n} requests, statuses {statuses}, {min(sizes):,}–{max(sizes):,} bytes)", flush=True)


def timed_post(conn, path, cookie, fields, upload=False):
    """A console form sent as a browser sends it: url-encoded, or multipart when it uploads."""
    if upload:
        boundary = "bench" + hashlib.sha256(repr(fields).encode()).hexdigest()[:24]
        body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                        for k, v in fields) + f"--{boundary}--\r\n".encode()
        kind = f"multipart/form-data; boundary={boundary}"
    else:
        body = urllib.parse.urlencode(fields).encode()
        kind = "application/x-www-form-urlencoded"
    t = time.perf_counter()
    conn.request("POST", path, body=body, headers={"Cookie": f"sandbox_console={cookie}", "Content-Type": kind})
    r = conn.getresponse()
    answer = r.read()
    return (time.perf_counter() - t) * 1000, r.status, answer, r.getheader("Location")


def form_token(page):
    m = re.search(rb'name="csrf" value="([^"]+)"', page)
    if not m:
        raise SystemExit(f"no form token on the page: {page[:300]!r}")
    return m.group(1).decode()


def hidden_fields(page, form_id):
    """The hidden fields of the page's form `form-ID`, as the browser sends them when its button is pressed."""
    m = re.search(rb'<form[^>]*id="form-' + form_id.encode() + rb'"[^>]*>(.*?)</form>', page, re.S)
    if not m:
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.decode(errors="replace")))
        raise SystemExit(f"no form {form_id} on the page: {text[-1200:]}")
    return [(html.unescape(a.decode()), html.unescape(b.decode()))
            for a, b in re.findall(rb'<input type="hidden" name="([^"]+)" value="([^"]*)">', m.group(1))]


def report(name, times, statuses, sizes):
    print(f"{name}: p50 {percentile(times, 0.5):.1f} ms, p99 {percentile(times, 0.99):.1f} ms "
          f"({len(times)} requests, statuses {statuses}, {min(sizes):,}–{max(sizes):,} bytes)", flush=True)


def console_actions(conn, officer, rng, enterprises):
    """Times the console's forms at city scale — the bulk previews of 200 rows on the district's
    queues, a directive previewed and sent to 1,000 enterprises, a city draw previewed and made —
    and returns the pages that show what they made, for the page loop. A form that acts is timed
    once (it changes what it acts on); a preview five times."""
    u = lambda path, bearer: json.loads(timed_get(conn, path, bearer)[2])
    city_name = f"city-bench-{random.randrange(1 << 30)}"
    city = staff_session(conn, "city", name=city_name)
    token = form_token(timed_get(conn, "/console/dashboard", None, cookie=officer)[2])
    city_token = form_token(timed_get(conn, "/console/draws", None, cookie=city)[2])

    def timed(name, n, send):
        times, statuses, sizes, answer = [], {}, [], None
        for _ in range(n):
            ms, status, body, location = send()
            times.append(ms); sizes.append(len(body)); statuses[status] = statuses.get(status, 0) + 1
            answer = (body, location)
        report(name, times, statuses, sizes)
        return answer

    # The district's queues, 200 rows ticked (the most a bulk form takes).
    proposals = u("/v1/admin/proposals?limit=200", officer)["proposals"]
    rows = [("row", f'{p["platform_id"]}/{p["case_id"]}') for p in proposals]
    timed(f"console bulk preview, {len(rows)} proposals (district)", 5,
          lambda: timed_post(conn, "/console/proposals/bulk/preview", officer, [("csrf", token)] + rows + [("decision", "confirm")]))
    recs = u("/v1/admin/determinations?limit=200", officer)
    recs = recs.get("recommendations", recs.get("determinations", []))
    rec_rows = [("row", f'{r["platform_id"]}/{r["case_id"]}') for r in recs]
    timed(f"console bulk preview, {len(rec_rows)} art. 33 recommendations (district)", 5,
          lambda: timed_post(conn, "/console/determinations/bulk/preview", officer,
                             [("csrf", token)] + rec_rows + [("decision", "no_penalty")]))
    colleague = f"district-510104-bench-{random.randrange(1 << 30)}"
    staff_session(conn, "district", "510104", name=colleague)
    leads = u("/v1/admin/leads?pending=true&limit=200", officer)["leads"]
    lead_rows = [("row", f'{l["platform_id"]}/{l["case_id"]}') for l in leads]
    timed(f"console bulk preview, assigning {len(lead_rows)} leads (district)", 5,
          lambda: timed_post(conn, "/console/leads/bulk/preview", officer, [("csrf", token)] + lead_rows + [("assignee", colleague)]))
    page, _ = timed(f"console bulk preview, {len(rows)} proposals, before confirming (district)", 1,
                    lambda: timed_post(conn, "/console/proposals/bulk/preview", officer, [("csrf", token)] + rows + [("decision", "confirm")]))
    confirm = hidden_fields(page, "bulk-confirm")
    timed(f"console bulk confirm, {sum(1 for k, _ in confirm if k == 'row')} suspensions confirmed and sent (district; once)", 1,
          lambda: timed_post(conn, "/console/proposals/bulk", officer, confirm))

    # A directive to a list of 1,000 enterprises, pasted as staff paste an Excel column.
    codes = "\n".join(uscc(rng.randint(1, enterprises)) for _ in range(1000))
    issue = [("csrf", city_token), ("type", "guidance"), ("usccs", codes), ("reason", "请核对店铺公示的营业执照信息"),
             ("basis", "电子商务法第十五条"), ("action", "七日内完成核对并更新公示信息"), ("deadline", "2026-12-31")]
    timed("console directive preview, a list of 1,000 enterprises (city)", 5,
          lambda: timed_post(conn, "/console/directives/preview", city, issue, upload=True))
    page, _ = timed("console directive preview, before sending (city)", 1,
                    lambda: timed_post(conn, "/console/directives/preview", city, issue, upload=True))
    send = hidden_fields(page, "send")
    timed(f"console directive sent to the list's storefronts (city; once)", 1,
          lambda: timed_post(conn, "/console/directives", city, send, upload=True))

    # A city draw: the preview of the whole city's strata, then the draw made and stored.
    # The pack wants two inspectors to a subject: the city's two officers, ticked.
    city_colleague = f"city-bench-{random.randrange(1 << 30)}"
    staff_session(conn, "city", name=city_colleague)
    # As of today in Asia/Shanghai, as an officer draws: a fixed day turns into a past day at
    # 16:00 UTC, and a draw for a past day decides every enterprise again (the kept decisions
    # were taken after its moment) — 30 s instead of 4 at 469,000 merchants.
    today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))
    draw_form = [("csrf", city_token), ("seed", f"bench-{today}"), ("as_of", today),
                 ("inspector", city_name), ("inspector", city_colleague)]
    # The preview is prepared in the background (seconds for a city): the form's answer sends the
    # officer to a page that shows progress (its script reads …/state each second) and then the
    # prepared preview, which 抽取 stores as it is.
    _, waiting = timed("console draw preview asked, the whole city (city; the preparation starts)", 1,
                       lambda: timed_post(conn, "/console/draws/preview", city, draw_form, upload=True))
    started, polls = time.perf_counter(), []
    while True:
        ms, status, body = timed_get(conn, f"{waiting}/state", None, cookie=city)
        polls.append(ms)
        if status != 200 or json.loads(body)["state"] != "preparing":
            break
        time.sleep(0.2)
    print(f"console draw prepared in the background, the whole city: {time.perf_counter() - started:.2f} s after the form "
          f"(state p50 {percentile(polls, 0.5):.1f} ms, p99 {percentile(polls, 0.99):.1f} ms over {len(polls)} polls)", flush=True)
    page, _ = timed("console draw preview, prepared (city)", 5, lambda: (*timed_get(conn, waiting, None, cookie=city), None))
    _, location = timed("console draw made and stored from its preview, the whole city (city; once)", 1,
                        lambda: timed_post(conn, "/console/draws", city, hidden_fields(page, "draw")))
    draw = (location or "/console/draws/1").split("?")[0]
    return {
        "console draws (city)": (lambda: "/console/draws", city),
        "console a city draw's page (city)": (lambda: draw, city),
        "console a city draw, a later page (city)": (lambda: f"{draw}?offset={100 * rng.randint(1, 20)}", city),
        "console draws (district)": (lambda: "/console/draws", officer),
        "console directives issued by hand (city)": (lambda: "/console/directives", city),
        "console directives issued by hand, one platform (city)": (lambda: f"/console/directives?platform={platform_id(0)}", city),
        "console one directive and its receipts (city)": (lambda: directive_page(conn, city), city),
    }


def directive_page(conn, city):
    """The page of one of the newest directives issued by hand, as its link on the list gives it."""
    page = timed_get(conn, "/console/directives", None, cookie=city)[2]
    ids = re.findall(rb'href="(/console/directives/[^"?]+)"', page)
    return ids[random.randrange(len(ids))].decode() if ids else "/console/directives"


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[0] == "platforms":
        write_platforms(args[1], int(args[2]))
    else:
        opts = dict(zip(args[1::2], args[2::2]))
        if args[0] == "generate":
            opts = dict(zip(args[2::2], args[3::2]))
            report_generated(generate(args[1], int(opts["--merchants"]), int(opts["--platforms"])), args[1])
        elif args[0] == "load" and "--batches" in opts:
            load(opts["--nodes"].split(","), opts["--batches"], int(opts.get("--senders", 4)))
        elif args[0] == "load":
            # Generated into a folder of its own first, then sent; the folder goes with the run.
            with tempfile.TemporaryDirectory(prefix="scale-batches.") as folder:
                report_generated(generate(folder, int(opts["--merchants"]), int(opts["--platforms"])), folder)
                load(opts["--nodes"].split(","), folder, int(opts.get("--senders", 4)))
        elif args[0] == "query":
            query(opts["--node"], int(opts.get("--samples", 200)), int(opts["--merchants"]))

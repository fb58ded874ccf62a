# Baseline of the regulator's feed intake (issue 3), until the agent's syncer exists: builds signed
# gzip feed batches from a generated merchants CSV (Chinese headers) and posts them to a running
# sandbox-regulator with one curl process (keep-alive); prints items/s.
#   python3 scripts/bench-support/regulator_feed.py MERCHANTS.csv PORT BATCH
# The regulator must know platform "bench" with token "bench-token" and secret "bench-secret".
import csv, gzip, hashlib, hmac, json, subprocess, sys, time, os
src, port, n_batch = sys.argv[1], sys.argv[2], int(sys.argv[3])
keys = ["platform_merchant_id","shop_name","entity_type","uscc","registered_name","legal_representative","registered_address",
        "displayed_name","displayed_uscc","displayed_address","licence_displayed","category","small_scale_declared",
        "annual_turnover_cny","verified_at","opened_at","status","complaints_90d","region_code"]
rows = []
with open(src, encoding="utf-8") as f:
    r = csv.reader(f); next(r)
    for row in r:
        d = {k: v for k, v in zip(keys, row) if v != ""}
        rows.append(json.dumps({"type": "merchant", "platform_id": "bench", "key": row[0], "uscc": d.get("uscc"),
                                "content_hash": str(abs(hash(tuple(row))) % 10**15), "data": d}, ensure_ascii=False))
bodies = []
for i in range(0, len(rows), n_batch):
    bodies.append(gzip.compress(("\n".join(rows[i:i+n_batch]) + "\n").encode(), 1))
os.makedirs(os.path.join(os.environ.get("TMPDIR", "/tmp"), "regulator-feed-batches"), exist_ok=True)
args = []
for i, b in enumerate(bodies):
    p = os.path.join(os.environ.get("TMPDIR", "/tmp"), "regulator-feed-batches", f"{i}.gz"); open(p, "wb").write(b)
    # docs/sync.md "Signature": method, path, key, time and the body's SHA-256.
    stamp = str(int(time.time()))
    message = "\n".join(["sandbox-link-v2", "POST", "/v1/feeds", f"b{i}", stamp, hashlib.sha256(b).hexdigest()])
    sig = hmac.new(b"bench-secret", message.encode(), hashlib.sha256).hexdigest()
    if i: args.append("--next")
    args += ["-s", "-o", "/dev/null", "-w", "%{http_code}\n", "-X", "POST", f"http://127.0.0.1:{port}/v1/feeds",
             "-H", "Authorization: Bearer bench-token", "-H", f"X-Sandbox-Signature: sha256={sig}",
             "-H", f"X-Sandbox-Timestamp: {stamp}",
             "-H", "Content-Encoding: gzip", "-H", f"Idempotency-Key: b{i}", "--data-binary", f"@{p}"]
t = time.time()
out = subprocess.run(["curl"] + args, capture_output=True, text=True).stdout.split()
dt = time.time() - t
print(f"{len(rows)} items in {len(bodies)} batches of {n_batch}: {dt:.2f} s, {len(rows)/dt:,.0f} items/s, "
      f"{sum(map(len, bodies))/1e6:.1f} MB gzip, statuses {sorted(set(out))}")

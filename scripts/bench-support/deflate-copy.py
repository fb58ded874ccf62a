#!/usr/bin/env python3
# Run from the project root: python3 scripts/bench-support/deflate-copy.py
# Per-item cost of the policy item codec's dictionary: deflateSetDictionary on a reset stream
# (today) against deflateCopy of a stream primed once (Python's Compress.copy calls deflateCopy).
import re, time, zlib, random
src = open("Sources/SandboxAgent/State/PolicyItemDictionaries.swift", encoding="utf-8").read()
dicts = {}
for name, body in re.findall(r'static let (\w+) = Array\(#"""\n(.*?)\n\s*"""#', src, re.S):
    lines = [l[8:] if l.startswith("        ") else l for l in body.split("\n")]
    dicts[name] = "\n".join(lines).encode()
rng = random.Random(1)
def items(d, n):
    lines = [l for l in d.split(b"\n") if l.strip()]
    out = []
    for i in range(n):
        l = bytearray(rng.choice(lines))
        # change a few digits, as items of other merchants differ in values
        for _ in range(4):
            j = rng.randrange(len(l))
            if 48 <= l[j] <= 57: l[j] = 48 + rng.randrange(10)
        out.append(bytes(l))
    return out
for name in ["classItems", "rosterItems", "instructionItems", "caseItems", "promptItems"]:
    d = dicts[name]; its = items(d, 20000)
    t = time.process_time(); a = 0
    for it in its:
        c = zlib.compressobj(6, zlib.DEFLATED, -15, 5, zlib.Z_DEFAULT_STRATEGY, d)
        a += len(c.compress(it) + c.flush())
    fresh = time.process_time() - t
    primed = zlib.compressobj(6, zlib.DEFLATED, -15, 5, zlib.Z_DEFAULT_STRATEGY, d)
    t = time.process_time(); b = 0
    for it in its:
        c = primed.copy()
        b += len(c.compress(it) + c.flush())
    copied = time.process_time() - t
    t = time.process_time()
    for it in its: zlib.compressobj(6, zlib.DEFLATED, -15, 5)
    init = time.process_time() - t
    print(f"{name}: dictionary {len(d):,} B; per item: set dictionary {fresh/len(its)*1e6:.1f} µs, "
          f"copy of a primed stream {copied/len(its)*1e6:.1f} µs (init alone {init/len(its)*1e6:.1f} µs); "
          f"bytes {a:,} vs {b:,}")

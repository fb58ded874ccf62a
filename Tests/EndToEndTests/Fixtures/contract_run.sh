#!/usr/bin/env bash
# Contract check with the real programs: records what a real sandbox-agent and the staff side
# (curl) exchange with a real sandbox-regulator, through fault_proxy.py --capture, and validates
# both sides of every exchange against docs/api/openapi.yaml with contract_check.py.
#
#     contract_run.sh BIN_DIR WORK_DIR
#
# BIN_DIR holds sandbox-agent and sandbox-regulator; WORK_DIR is created if missing and what this
# script put there before is replaced (regulator database, agent folders, capture.jsonl, run.log).
#
# What is driven: (1) the agent's first sync of 300 generated merchants (+ licences, registry, two
# events) after the regulator imported the registry; (2) a directive created by staff, fetched by
# the agent; (3) the platform's receipts for it, sent by the agent; (4) every staff and operations
# endpoint with curl, a hand-signed feed batch (accepted, replayed, key reused: 409), the
# repository's rule pack signed with a fresh key and published (201, repeat 200, ETag → 304),
# refusals (400, 401, 403); (5) probes: input the document forbids, which the regulator must refuse (a 4xx,
# or the line listed in `rejected`); the checker reports every probe it did not refuse.
#
# Prints the checker's output (the driving steps go to WORK_DIR/run.log) and exits with its
# status: 0 = every exchange conforms. A driving step that goes wrong (the agent cannot deliver,
# a directive cannot be created) prints "contract_run.sh: …" and makes the exit status 1 even if the
# checker passes; 2 = the setup could not run at all; 3 = PyYAML or jsonschema missing.
# Needs python3 (with PyYAML and jsonschema), curl; two loopback ports. About 3 s.
set -uo pipefail

if [ $# -ne 2 ]; then
    echo "usage: $0 BIN_DIR WORK_DIR" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
openapi=$(cd "$here/../../.." && pwd)/docs/api/openapi.yaml
bin=$(cd "$1" && pwd) || exit 2
mkdir -p "$2" && work=$(cd "$2" && pwd) || exit 2
agent_bin=$bin/sandbox-agent
regulator_bin=$bin/sandbox-regulator
for f in "$agent_bin" "$regulator_bin" "$openapi" "$here/fault_proxy.py" "$here/contract_check.py"; do
    [ -e "$f" ] || { echo "contract_run.sh: missing $f" >&2; exit 2; }
done
command -v curl >/dev/null || { echo "contract_run.sh: needs curl" >&2; exit 2; }
# Fail fast (exit 3, with the package names) before starting anything when a module is missing.
python3 -c 'import yaml, jsonschema' 2>/dev/null || { python3 "$here/contract_check.py" "$openapi" /dev/null; exit 3; }

platform=contract-platform
token=contract-token-1
secret=contract-secret-1
admin=contract-admin-token
now=2026-11-20

rm -rf "$work/regulator" "$work/agent" "$work/staging" "$work/capture.jsonl" "$work/proxy.log" "$work/run.log"
mkdir -p "$work/regulator" "$work/agent/inbox" "$work/agent/outbox" "$work/agent/state" "$work/staging"
log=$work/run.log
: >"$log"
problems=0
problem() { echo "contract_run.sh: $*" >&2; echo "PROBLEM: $*" >>"$log"; problems=$((problems + 1)); }
die() { echo "contract_run.sh: $* (see $log)" >&2; exit 2; }

regulator_pid= proxy_pid=
cleanup() {
    # Only the two processes this script started, by pid.
    [ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null && wait "$proxy_pid" 2>/dev/null
    [ -n "$regulator_pid" ] && kill "$regulator_pid" 2>/dev/null && wait "$regulator_pid" 2>/dev/null
}
trap cleanup EXIT

# -- the regulator, and the proxy in front of it ---------------------------------------------------
# Files holding secrets are made 0600: both programs refuse a secret others may read.
(umask 077; cat >"$work/regulator/platforms.toml") <<EOF
admin_token = "$admin"

[[platform]]
id = "$platform"
token = "$token"
hmac_secret = "$secret"
EOF
# A rule pack key, and the repository's pack signed with it (published in step 4).
repo=$(cd "$here/../../.." && pwd)
"$regulator_bin" rulepack keygen --out "$work/regulator/pack.key" >>"$log" 2>&1 || die "rulepack keygen failed"
cp "$repo/rulepacks/chengdu-2026.1.toml" "$work/regulator/pack.toml"
"$regulator_bin" rulepack sign "$work/regulator/pack.toml" --key "$work/regulator/pack.key" >>"$log" 2>&1 \
    || die "rulepack sign failed"
reg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$regulator_bin" serve --listen "127.0.0.1:$reg_port" --db "$work/regulator/reg.db" \
    --platforms "$work/regulator/platforms.toml" --rulepack-keys "$work/regulator/pack.key.pub" \
    --staff-password-log2n 10 >"$work/regulator/regulator.log" 2>&1 &
regulator_pid=$!
for _ in $(seq 300); do
    curl -sf "http://127.0.0.1:$reg_port/healthz" >/dev/null && break
    kill -0 "$regulator_pid" 2>/dev/null || { cat "$work/regulator/regulator.log" >>"$log"; die "the regulator exited"; }
    sleep 0.1
done
curl -sf "http://127.0.0.1:$reg_port/healthz" >/dev/null || die "the regulator does not answer /healthz"

# No control file: the proxy passes everything (it only records).
python3 "$here/fault_proxy.py" --listen-port 0 --upstream "127.0.0.1:$reg_port" \
    --control-file "$work/proxy-control.json" --log "$work/proxy.log" --capture "$work/capture.jsonl" \
    >"$work/proxy.port" 2>"$work/proxy.stderr" &
proxy_pid=$!
for _ in $(seq 100); do
    grep -q '^PORT ' "$work/proxy.port" 2>/dev/null && break
    kill -0 "$proxy_pid" 2>/dev/null || { cat "$work/proxy.stderr" >>"$log"; die "the proxy exited"; }
    sleep 0.1
done
proxy_port=$(sed -n 's/^PORT //p' "$work/proxy.port")
[ -n "$proxy_port" ] || die "the proxy did not report its port"
api=http://127.0.0.1:$proxy_port

# -- the agent ------------------------------------------------------------------------------------
(umask 077; printf '%s\n' "$token" >"$work/agent/token"; printf '%s\n' "$secret" >"$work/agent/hmac")
cat >"$work/agent/agent.conf" <<EOF
[agent]
platform_id = "$platform"
inbox = "inbox"
outbox = "outbox"
state_dir = "state"
settle_seconds = 0

[regulator]
url = "$api"
token_file = "token"
hmac_secret_file = "hmac"
EOF

run_agent() {  # run_agent WHAT: one `run --once`; a refusal or a batch left for retry is a problem
    echo "== sandbox-agent run --once ($1)" >>"$log"
    local out rc
    out=$("$agent_bin" run --once --config "$work/agent/agent.conf" --now "$now" 2>>"$log")
    rc=$?
    echo "$out" >>"$log"
    [ $rc -eq 0 ] || problem "agent run ($1) exited $rc: $(echo "$out" | tail -n 3 | tr '\n' ' ')"
    if echo "$out" | grep -q 'refused'; then problem "agent run ($1): the regulator refused a batch: $out"; fi
}

staff() {  # staff METHOD PATH [curl args…]: prints the status, appends the exchange to the log
    local method=$1 path=$2
    shift 2
    echo "== $method $path" >>"$log"
    curl -s --max-time 60 -o "$work/staging/answer" -w '%{http_code}' -X "$method" "$@" "$api$path"
    cat "$work/staging/answer" >>"$log" 2>/dev/null
    echo >>"$log"
}
expect() {  # expect STATUS WHAT ACTUAL
    [ "$1" = "$3" ] || problem "$2: expected HTTP $1, got $3"
}

"$agent_bin" generate --merchants 300 --out "$work/staging/gen" --now "$now" --platform "$platform" >>"$log" 2>&1 \
    || die "sandbox-agent generate failed"
# The regulator's own registry, so registry changes and profile identities are not empty.
"$regulator_bin" import-registry --db "$work/regulator/reg.db" "$work/staging/gen"/registry-*.csv >>"$log" 2>&1 \
    || problem "sandbox-regulator import-registry failed"
read -r merchant uscc < <(python3 - "$work/staging/gen"/merchants-*.csv <<'EOF'
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    for row in csv.DictReader(f):
        uscc = row.get("统一社会信用代码") or row.get("uscc") or ""
        merchant = row.get("平台经营者ID") or row.get("platform_merchant_id") or ""
        if len(uscc) == 18 and merchant:
            print(merchant, uscc)
            break
EOF
)
[ -n "${merchant:-}" ] || die "no merchant with an 18-character USCC in the generated merchants file"
# Events too (generate writes none): one complete, one without the optional columns.
printf 'event_id,platform_merchant_id,event_type,occurred_at,severity,description\ncontract-event-1,%s,complaint,2026-11-10 09:30,minor,发货延迟\ncontract-event-2,%s,dispute,2026-11-12,,\n' \
    "$merchant" "$merchant" >"$work/staging/gen/events-contract.csv"
for f in "$work/staging/gen"/*.csv; do mv "$f" "$work/agent/inbox/"; done   # renames: never half a file

# 1. Registry changes, directives (none yet), the whole feed.
run_agent "first sync"

# 2. Staff create a directive; the agent fetches it.
status=$(staff POST /v1/admin/directives -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    --data-binary "{\"platform_id\":\"$platform\",\"type\":\"suspend\",\"platform_merchant_id\":\"$merchant\",\"uscc\":\"$uscc\",\"payload\":{\"reason\":\"contract check\"}}")
expect 201 "create directive" "$status"
directive=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get("id", ""))' "$work/staging/answer" 2>/dev/null)
[ -n "$directive" ] || die "creating a directive answered $status without an id"
run_agent "directive"

# 3. The platform's receipts for it (the second without the optional note).
printf 'receipt_id,instruction_id,platform_merchant_id,action,at,note\ncontract-receipt-1,%s,%s,executed,2026-11-21 10:00,已暂停服务\ncontract-receipt-2,%s,%s,rectified,2026-11-22 09:00,\n' \
    "$directive" "$merchant" "$directive" "$merchant" >"$work/staging/receipts-contract.csv"
mv "$work/staging/receipts-contract.csv" "$work/agent/inbox/"
run_agent "receipt"

# 4. The staff side and the operations endpoints, and refusals.
A=(-H "Authorization: Bearer $admin")
P=(-H "Authorization: Bearer $token")
expect 200 "GET /v1/admin/stats" "$(staff GET /v1/admin/stats "${A[@]}")"
expect 200 "GET /v1/admin/platforms" "$(staff GET /v1/admin/platforms "${A[@]}")"
expect 400 "GET /v1/admin/platforms?silent_after=1" "$(staff GET '/v1/admin/platforms?silent_after=1' "${A[@]}")"
expect 403 "GET /v1/admin/platforms with a platform token" "$(staff GET /v1/admin/platforms "${P[@]}")"
expect 200 "GET /v1/admin/merchants/{uscc}" "$(staff GET "/v1/admin/merchants/$uscc" "${A[@]}")"
expect 404 "GET /v1/admin/merchants/{unknown uscc}" "$(staff GET /v1/admin/merchants/91510100MA0000000X "${A[@]}")"
expect 200 "GET /v1/admin/directives/{id}" "$(staff GET "/v1/admin/directives/$directive" "${A[@]}")"
if ! grep -q contract-receipt-2 "$work/staging/answer"; then problem "the receipts did not reach the regulator"; fi
expect 404 "GET /v1/admin/directives/{unknown}" "$(staff GET /v1/admin/directives/no-such-directive "${A[@]}")"
expect 200 "GET /healthz" "$(staff GET /healthz)"
expect 200 "GET /metrics" "$(staff GET /metrics)"
expect 404 "GET /v1/rulepack (none yet)" "$(staff GET /v1/rulepack "${P[@]}")"
# The signed pack, uploaded as the staff would: content and the fields of PACK.sig.
python3 - "$work/regulator/pack.toml" "$work/staging/rulepack.json" <<'EOF'
import base64, json, sys
pack = open(sys.argv[1], "rb").read()
_, key_id, signature = open(sys.argv[1] + ".sig").read().split()
json.dump({"content": base64.b64encode(pack).decode(), "key_id": key_id, "signature": signature}, open(sys.argv[2], "w"))
EOF
J=(-H 'Content-Type: application/json' --data-binary "@$work/staging/rulepack.json")
expect 201 "POST /v1/admin/rulepack" "$(staff POST /v1/admin/rulepack "${A[@]}" "${J[@]}")"
expect 200 "POST /v1/admin/rulepack (again: no-op)" "$(staff POST /v1/admin/rulepack "${A[@]}" "${J[@]}")"
expect 403 "POST /v1/admin/rulepack with a platform token" "$(staff POST /v1/admin/rulepack "${P[@]}" "${J[@]}")"
etag=$(curl -s -D - -o /dev/null "${P[@]}" "$api/v1/rulepack" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
[ -n "$etag" ] || problem "GET /v1/rulepack answered without an ETag"
expect 200 "GET /v1/rulepack" "$(staff GET /v1/rulepack "${P[@]}")"
expect 304 "GET /v1/rulepack (If-None-Match)" "$(staff GET /v1/rulepack "${P[@]}" -H "If-None-Match: $etag")"
expect 200 "GET /v1/registry/changes" "$(staff GET '/v1/registry/changes?after=0' "${P[@]}")"
expect 200 "GET /v1/registry/changes (limit)" "$(staff GET '/v1/registry/changes?after=0&limit=5' "${P[@]}")"
expect 200 "GET /v1/directives" "$(staff GET '/v1/directives?after=0&wait=0' "${P[@]}")"

# Bodies by hand: NAME.body (gzip unless NAME ends in .plain), signed when posted.
make_body() {  # make_body NAME LINE… (each LINE one JSON text)
    local name=$1
    shift
    python3 - "$work/staging" "$name" "$@" <<'EOF'
import gzip, sys
folder, name, lines = sys.argv[1], sys.argv[2], sys.argv[3:]
body = "".join(line + "\n" for line in lines).encode()
if not name.endswith(".plain"):
    body = gzip.compress(body)
open("%s/%s.body" % (folder, name), "wb").write(body)
EOF
}
sign() {  # sign PATH KEY BODYFILE: the X-Sandbox-Timestamp and X-Sandbox-Signature lines (docs/sync.md)
    python3 - "$secret" "$1" "$2" "$3" <<'EOF'
import hashlib, hmac, sys, time
secret, path, key, body = sys.argv[1], sys.argv[2], sys.argv[3], open(sys.argv[4], "rb").read()
stamp = str(int(time.time()))
message = "\n".join(["sandbox-link-v2", "POST", path, key, stamp, hashlib.sha256(body).hexdigest()])
print("X-Sandbox-Timestamp: " + stamp)
print("X-Sandbox-Signature: sha256=" + hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest())
EOF
}
post_signed() {  # post_signed PATH NAME KEY [curl args…] (KEY "" for none; a later X-Sandbox-Signature in the args wins)
    local path=$1 name=$2 key=$3 line
    shift 3
    local h=()
    while IFS= read -r line; do h+=(-H "$line"); done < <(sign "$path" "$key" "$work/staging/$name.body")
    if [ -n "$key" ]; then h+=(-H "Idempotency-Key: $key"); fi
    staff POST "$path" "${P[@]}" "${h[@]}" -H 'Content-Type: application/x-ndjson' \
        --data-binary "@$work/staging/$name.body" "$@"
}
item() {  # item KEY SHOP: one merchant feed item of this platform
    printf '{"type":"merchant","platform_id":"%s","key":"%s","uscc":"%s","content_hash":"%s","data":{"platform_merchant_id":"%s","shop_name":"%s"}}' \
        "$platform" "$1" "$uscc" "${#2}" "$1" "$2"
}
make_body feed-a "$(item "$merchant-cc" 契约检查店)"
make_body feed-b "$(item "$merchant-cc" 契约检查店二)"
G=(-H 'Content-Encoding: gzip')
expect 200 "POST /v1/feeds (by hand)" "$(post_signed /v1/feeds feed-a contract-batch-1 "${G[@]}")"
expect 200 "POST /v1/feeds (replay)" "$(post_signed /v1/feeds feed-a contract-batch-1 "${G[@]}")"
expect 409 "POST /v1/feeds (key reused)" "$(post_signed /v1/feeds feed-b contract-batch-1 "${G[@]}")"
expect 400 "POST /v1/feeds without Idempotency-Key" "$(post_signed /v1/feeds feed-a "" "${G[@]}")"
# The policy's feed items (docs/policy.md §10.1), then the staff views built from them.
pv='"pack_version":"chengdu-2026.1","pack_serial":1'
make_body feed-policy \
    "{\"type\":\"class\",\"platform_id\":\"$platform\",\"key\":\"$merchant\",\"uscc\":\"$uscc\",\"content_hash\":\"1\",$pv,\"data\":{\"class\":\"B\",\"class_name\":\"信用风险一般\",\"points\":72,\"since\":\"2026-11-01\",\"explanation\":{}}}" \
    "{\"type\":\"roster\",\"platform_id\":\"$platform\",\"key\":\"$merchant\",\"uscc\":\"$uscc\",\"content_hash\":\"1\",$pv,\"data\":{\"member\":true,\"member_since\":\"2026-11-01\",\"source\":\"agent\",\"decision\":{\"decision\":\"admitted\",\"at\":\"2026-11-01T00:05:00+08:00\",\"criteria\":[],\"directive_id\":null},\"readmit_not_before\":null}}" \
    "{\"type\":\"case\",\"platform_id\":\"$platform\",\"key\":\"contract-case-1\",\"uscc\":\"$uscc\",\"content_hash\":\"1\",$pv,\"data\":{\"case_id\":\"contract-case-1\",\"rule_id\":\"RL-01\",\"rule_title\":\"t\",\"severity\":\"general\",\"addressee\":\"merchant\",\"state\":\"open\",\"opened_at\":\"2026-11-02T09:00:00+08:00\",\"deadline\":\"2026-11-20\",\"lead\":{\"kind\":\"违法预警线索\",\"reason\":\"r\",\"basis\":\"b\",\"evidence\":{}},\"steps\":[],\"rectified_at\":null,\"in_time\":null,\"determination\":null,\"closed_at\":null,\"close_reason\":null,\"proposal\":{\"step\":2,\"kind\":\"suspend\",\"state\":\"pending\",\"first_proposed_at\":\"2026-11-21T00:00:00+08:00\",\"proposed_at\":\"2026-11-21T00:00:00+08:00\",\"deferred_until\":null,\"action\":\"a\",\"basis\":\"b\",\"decided_by\":null,\"decided_at\":null,\"reason\":null,\"directive_id\":null}}}" \
    "{\"type\":\"instruction\",\"platform_id\":\"$platform\",\"key\":\"contract-ins-1\",\"uscc\":\"$uscc\",\"content_hash\":\"1\",$pv,\"data\":{\"instruction_id\":\"contract-ins-1\",\"receipt_state\":\"pending\"}}" \
    "{\"type\":\"prompt\",\"platform_id\":\"$platform\",\"key\":\"contract-ins-2\",\"content_hash\":\"1\",\"pack_version\":null,\"pack_serial\":null,\"data\":{\"prompt_id\":\"PR-01\",\"window_key\":\"2026\",\"cause\":\"c\",\"addressee\":\"merchant\",\"issued_at\":\"2026-11-02T09:00:00+08:00\"}}"
expect 200 "POST /v1/feeds (policy items)" "$(post_signed /v1/feeds feed-policy contract-batch-policy "${G[@]}")"
if ! grep -q '"accepted":5' "$work/staging/answer"; then problem "the policy items were not all accepted: $(cat "$work/staging/answer")"; fi
expect 200 "GET /v1/admin/roster" "$(staff GET /v1/admin/roster "${A[@]}")"
expect 200 "GET /v1/admin/roster?uscc=" "$(staff GET "/v1/admin/roster?uscc=$uscc" "${A[@]}")"
expect 404 "GET /v1/admin/roster?uscc={unknown}" "$(staff GET /v1/admin/roster?uscc=91510100MA0000000X "${A[@]}")"
expect 201 "POST /v1/admin/roster/{uscc}" "$(staff POST "/v1/admin/roster/$uscc" "${A[@]}" -H 'Content-Type: application/json' \
    --data-binary '{"action":"remove","reason":"contract check","basis":"contract","hold_days":30}')"
expect 201 "POST /v1/admin/roster/{uscc} (admit)" "$(staff POST "/v1/admin/roster/$uscc" "${A[@]}" \
    -H 'Content-Type: application/json' --data-binary '{"action":"admit","reason":"contract check"}')"
expect 404 "POST /v1/admin/roster/{unknown}" "$(staff POST /v1/admin/roster/91510100MA0000000X "${A[@]}" \
    -H 'Content-Type: application/json' --data-binary '{"action":"remove","reason":"x","hold_days":1}')"
expect 200 "GET /v1/admin/cases" "$(staff GET /v1/admin/cases "${A[@]}")"
expect 200 "GET /v1/admin/merchants/{uscc} (with its sandbox standing and cases)" "$(staff GET "/v1/admin/merchants/$uscc" "${A[@]}")"
expect 200 "GET /v1/admin/cases?state=open" "$(staff GET "/v1/admin/cases?state=open&rule=RL-01&uscc=$uscc" "${A[@]}")"
expect 400 "GET /v1/admin/cases?state=bogus" "$(staff GET '/v1/admin/cases?state=bogus' "${A[@]}")"
expect 403 "GET /v1/admin/roster with a platform token" "$(staff GET /v1/admin/roster "${P[@]}")"
expect 401 "GET /v1/admin/stats with a wrong token" "$(staff GET /v1/admin/stats -H 'Authorization: Bearer wrong-token')"
expect 401 "GET /v1/directives without a token" "$(staff GET /v1/directives)"
expect 403 "GET /v1/admin/stats with a platform token" "$(staff GET /v1/admin/stats "${P[@]}")"
make_body receipt-ok.plain '{"receipt_id":"x","instruction_id":"y","platform_merchant_id":"z","action":"executed","at":"2026-11-21T10:00:00Z"}'
expect 401 "POST /v1/receipts with a wrong signature" "$(post_signed /v1/receipts receipt-ok.plain "" \
    -H "X-Sandbox-Signature: sha256=$(printf '0%.0s' $(seq 64))")"

# 5. Probes: input the document forbids. The regulator must refuse it (a 4xx, or the line listed in
#    `rejected`); the checker says when it did not. No expectations here: the checker judges.
staff GET '/v1/directives?wait=61' "${P[@]}" >/dev/null
staff GET '/v1/directives?after=-1' "${P[@]}" >/dev/null
staff GET '/v1/registry/changes?limit=0' "${P[@]}" >/dev/null
staff POST /v1/admin/directives "${A[@]}" -H 'Content-Type: application/json' \
    --data-binary "{\"platform_id\":\"$platform\",\"type\":\"warning\"}" >/dev/null                  # no payload
post_signed /v1/feeds feed-a "$(printf 'k%.0s' $(seq 201))" "${G[@]}" >/dev/null  # key too long
make_body bad-gzip.plain 'this is not gzip'
post_signed /v1/feeds bad-gzip.plain contract-probe-gzip "${G[@]}" >/dev/null
post_signed /v1/feeds feed-a contract-probe-no-encoding >/dev/null         # no Content-Encoding
make_body feed-lines \
    "$(item "$merchant-ok" 契约检查店三)" \
    "{\"type\":\"merchant\",\"platform_id\":\"$platform\",\"key\":\"$merchant-h\",\"content_hash\":\"abc\",\"data\":{}}" \
    "{\"type\":\"merchant\",\"platform_id\":\"$platform\",\"key\":\"$merchant-t\",\"content_hash\":\"1\"}" \
    "{\"type\":\"findings\",\"platform_id\":\"$platform\",\"key\":\"$merchant-f\",\"content_hash\":\"1\",\"data\":{\"current\":[{\"code\":5,\"severity\":\"minor\",\"message\":\"m\",\"basis\":\"b\",\"evidence\":{}}]}}" \
    "{\"type\":\"class\",\"platform_id\":\"$platform\",\"key\":\"$merchant-c\",\"content_hash\":\"1\",\"data\":{\"class\":\"E\"}}" \
    "{\"type\":\"merchant\",\"platform_id\":\"$platform\",\"key\":\"$merchant-p\",\"content_hash\":\"1\",\"pack_serial\":\"1\",\"data\":{}}" \
    'not json' \
    "{\"type\":\"merchant\",\"platform_id\":\"$platform\",\"key\":\"$merchant-u\",\"uscc\":\"bad\",\"content_hash\":\"1\",\"data\":{}}" \
    "{\"type\":\"merchant\",\"platform_id\":\"$platform\",\"key\":\"\",\"content_hash\":\"1\",\"data\":{}}"
post_signed /v1/feeds feed-lines contract-probe-lines "${G[@]}" >/dev/null
r='"instruction_id":"'"$directive"'","platform_merchant_id":"'"$merchant"'","at":"2026-11-21T10:00:00Z"'
make_body receipt-lines.plain \
    "{\"receipt_id\":\"contract-probe-r1\",$r,\"action\":\"bogus\"}" \
    "{\"receipt_id\":\"contract-probe-r2\",$r,\"action\":\"executed\",\"note\":null}" \
    "{\"receipt_id\":\"contract-probe-r3\",$r,\"action\":\"executed\",\"note\":5}"
post_signed /v1/receipts receipt-lines.plain "" >/dev/null
make_body receipt-br.plain "{\"receipt_id\":\"contract-probe-r4\",$r,\"action\":\"executed\"}"
post_signed /v1/receipts receipt-br.plain "" -H 'Content-Encoding: br' >/dev/null                # not gzip or identity
staff GET /v1/directives "${A[@]}" >/dev/null                                           # the admin token as a platform
staff POST /v1/admin/rulepack "${A[@]}" -H 'Content-Type: application/json' \
    --data-binary '{"content":"W3BhY2td","key_id":"0000000000000000"}' >/dev/null                 # no signature

# -- staff: accounts, a session, a personal token, jurisdiction, association members, the audit trail
J=(-H 'Content-Type: application/json')
district=${uscc:2:6}
expect 201 "add a district officer" "$(staff POST /v1/admin/staff "${A[@]}" "${J[@]}" --data-binary \
    "{\"username\":\"contract-district\",\"role\":\"district\",\"district\":\"$district\",\"display_name\":\"锦江区局\",\"password\":\"contract password 1\"}")"
expect 409 "the same username again" "$(staff POST /v1/admin/staff "${A[@]}" "${J[@]}" --data-binary \
    '{"username":"contract-district","role":"city","password":"contract password 1"}')"
expect 401 "a wrong password" "$(staff POST /v1/staff/login "${J[@]}" --data-binary '{"username":"contract-district","password":"wrong password!!"}')"
expect 200 "a staff login" "$(staff POST /v1/staff/login "${J[@]}" --data-binary '{"username":"contract-district","password":"contract password 1"}')"
session=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$work/staging/answer" 2>/dev/null)
S=(-H "Authorization: Bearer $session")
expect 200 "who am I" "$(staff GET /v1/staff/me "${S[@]}")"
expect 201 "a personal API token" "$(staff POST /v1/staff/tokens "${S[@]}" "${J[@]}" --data-binary '{"name":"contract","days":7}')"
expect 200 "the district's own enterprise" "$(staff GET "/v1/admin/merchants/$uscc" "${S[@]}")"
expect 403 "a city-wide list for a district" "$(staff GET /v1/admin/roster "${S[@]}")"
expect 200 "the staff list" "$(staff GET /v1/admin/staff "${A[@]}")"
expect 200 "an association's members" "$(staff POST /v1/admin/associations/contract-assoc/members "${A[@]}" "${J[@]}" \
    --data-binary "{\"usccs\":[\"$uscc\"],\"replace\":true}")"
expect 201 "an association's prompt" "$(staff POST /v1/admin/associations/contract-assoc/prompts "${A[@]}" "${J[@]}" \
    --data-binary '{"title":"自律提示","text":"请规范亮照。","issuer_name":"成都市电子商务协会"}')"
expect 201 "a repair application" "$(staff POST /v1/admin/repairs "${S[@]}" "${J[@]}" --data-binary \
    "{\"uscc\":\"$uscc\",\"list\":\"abnormal_list\",\"applicant\":\"申请人\",\"application_letter\":true,\"commitment_letter\":true}")"
repair=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$work/staging/answer" 2>/dev/null)
expect 200 "the repairs queue" "$(staff GET '/v1/admin/repairs?state=pending' "${S[@]}")"
expect 200 "one repair" "$(staff GET "/v1/admin/repairs/$repair" "${S[@]}")"
expect 200 "a repair approved" "$(staff POST "/v1/admin/repairs/$repair/decision" "${S[@]}" "${J[@]}" --data-binary '{"decision":"approve","reason":"已改正"}')"
expect 409 "decided twice" "$(staff POST "/v1/admin/repairs/$repair/decision" "${S[@]}" "${J[@]}" --data-binary '{"decision":"reject","reason":"x"}')"
expect 200 "the audit trail" "$(staff GET '/v1/admin/audit?actor=contract-district&limit=5' "${A[@]}")"
expect 200 "the district's leads" "$(staff GET '/v1/admin/leads?pending=true&limit=5' "${S[@]}")"
expect 200 "the city's leads" "$(staff GET '/v1/admin/leads?limit=3' "${A[@]}")"
lead=$(python3 -c 'import json,sys; l=json.load(open(sys.argv[1]))["leads"]; print(l[0]["platform_id"]+"/"+l[0]["case_id"] if l else "")' \
    "$work/staging/answer" 2>/dev/null)
if [ -n "$lead" ]; then
    expect 200 "one lead" "$(staff GET "/v1/admin/leads/$lead" "${A[@]}")"
    expect 409 "立案 before 核查" "$(staff POST "/v1/admin/leads/$lead/steps" "${A[@]}" "${J[@]}" --data-binary '{"action":"file","note":"n"}')"
    expect 201 "核查" "$(staff POST "/v1/admin/leads/$lead/steps" "${A[@]}" "${J[@]}" --data-binary '{"action":"verify","note":"核查属实"}')"
fi
expect 400 "a stage that does not exist" "$(staff GET '/v1/admin/leads?stage=bogus' "${A[@]}")"
expect 404 "a lead that does not exist" "$(staff GET /v1/admin/leads/nobody/none "${A[@]}")"
expect 200 "the leads export" "$(staff GET '/v1/admin/leads/export?after=0' "${A[@]}")"
expect 200 "the lead versions" "$(staff GET '/v1/admin/leads/changes?after=0&limit=5' "${A[@]}")"
expect 200 "the outcome figures" "$(staff GET '/v1/admin/reports/outcomes?from=2026-01-01&to=2026-12-31' "${A[@]}")"
expect 200 "a district's figures" "$(staff GET '/v1/admin/reports/outcomes' "${S[@]}")"
expect 400 "a region that is no division code" "$(staff GET '/v1/admin/reports/outcomes?region=51x' "${A[@]}")"
# A draw on the regulator's own population (its database, the pack in the repository), then its
# results and publication (一公开).
printf '[[inspector]]\nid = "I1"\nname = "检查员一"\nunit = "市局"\nregions = []\n\n[[inspector]]\nid = "I2"\nname = "检查员二"\nunit = "市局"\nregions = []\n' \
    >"$work/staging/inspectors.toml"
draw_json=$("$regulator_bin" draw --db "$work/regulator/reg.db" --ratios-from-pack --pack "$work/regulator/pack.toml" \
    --seed contract-draw --inspectors "$work/staging/inspectors.toml" --json 2>>"$log") || problem "sandbox-regulator draw failed"
read -r draw_id drawn_uscc < <(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["draw_id"], d["drawn"][0]["uscc"] if d["drawn"] else "")' \
    "$draw_json" 2>/dev/null)
expect 200 "a draw" "$(staff GET "/v1/admin/draws/$draw_id" "${A[@]}")"
expect 201 "an inspection result" "$(staff POST "/v1/admin/draws/$draw_id/results" "${A[@]}" "${J[@]}" --data-binary \
    "{\"uscc\":\"$drawn_uscc\",\"result\":\"problems\",\"follow_up\":\"责令整改\",\"inspectors\":\"I1;I2\"}")"
expect 409 "the same result twice" "$(staff POST "/v1/admin/draws/$draw_id/results" "${A[@]}" "${J[@]}" --data-binary \
    "{\"uscc\":\"$drawn_uscc\",\"result\":\"pass\"}")"
expect 404 "not published yet" "$(staff GET "/v1/public/draws/$draw_id")"
expect 200 "publish" "$(staff POST "/v1/admin/draws/$draw_id/publish" "${A[@]}")"
expect 200 "the published draw, without a token" "$(staff GET "/v1/public/draws/$draw_id")"
expect 400 "a draw id that is no number" "$(staff GET /v1/public/draws/abc)"
expect 200 "the art. 33 recommendations" "$(staff GET '/v1/admin/determinations?pending=false' "${A[@]}")"
rec=$(python3 -c 'import json,sys; l=json.load(open(sys.argv[1]))["recommendations"]; print(l[0]["platform_id"]+"/"+l[0]["case_id"] if l else "")' \
    "$work/staging/answer" 2>/dev/null)
if [ -n "$rec" ]; then
    expect 200 "one recommendation" "$(staff GET "/v1/admin/determinations/$rec" "${A[@]}")"
    expect 201 "an officer's decision" "$(staff POST "/v1/admin/determinations/$rec" "${A[@]}" "${J[@]}" --data-binary '{"decision":"file_case"}')"
fi
expect 404 "no recommendation" "$(staff GET /v1/admin/determinations/nobody/none "${A[@]}")"
expect 404 "no recommendation to decide" "$(staff POST /v1/admin/determinations/nobody/none "${A[@]}" "${J[@]}" --data-binary '{"decision":"no_penalty"}')"
expect 200 "the proposed steps waiting for an officer" "$(staff GET /v1/admin/proposals "${A[@]}")"
expect 200 "every proposed step" "$(staff GET '/v1/admin/proposals?state=all&limit=10' "${A[@]}")"
expect 400 "a proposal state that does not exist" "$(staff GET '/v1/admin/proposals?state=bogus' "${A[@]}")"
expect 200 "one proposed step" "$(staff GET "/v1/admin/proposals/$platform/contract-case-1" "${A[@]}")"
expect 409 "a cancellation without its reason" "$(staff POST "/v1/admin/proposals/$platform/contract-case-1" "${A[@]}" "${J[@]}" --data-binary '{"decision":"cancel"}')"
expect 201 "an officer confirms it" "$(staff POST "/v1/admin/proposals/$platform/contract-case-1" "${A[@]}" "${J[@]}" --data-binary '{"decision":"confirm"}')"
expect 404 "no proposed step" "$(staff GET /v1/admin/proposals/nobody/none "${A[@]}")"
expect 404 "no proposed step to decide" "$(staff POST /v1/admin/proposals/nobody/none "${A[@]}" "${J[@]}" --data-binary '{"decision":"confirm"}')"
expect 200 "log out" "$(staff POST /v1/staff/logout "${S[@]}")"
expect 401 "the ended session" "$(staff GET /v1/staff/me "${S[@]}")"
expect 200 "disable" "$(staff POST /v1/admin/staff/contract-district/disable "${A[@]}")"
expect 200 "enable" "$(staff POST /v1/admin/staff/contract-district/enable "${A[@]}")"
expect 404 "disable an unknown account" "$(staff POST /v1/admin/staff/nobody/disable "${A[@]}")"

# -- stop the proxy (its capture is flushed per line; SIGTERM closes it) and check ----------------
kill "$proxy_pid" 2>/dev/null
wait "$proxy_pid" 2>/dev/null
proxy_pid=
if grep -q Traceback "$work/proxy.stderr"; then problem "the proxy wrote a traceback: $(cat "$work/proxy.stderr")"; fi

python3 "$here/contract_check.py" "$openapi" "$work/capture.jsonl"
rc=$?
if [ $rc -eq 0 ] && [ $problems -gt 0 ]; then
    echo "contract_run.sh: $problems driving step(s) went wrong (see $log)" >&2
    rc=1
fi
exit $rc

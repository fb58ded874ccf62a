#!/usr/bin/env python3
"""Self-test for contract_check.py: `python3 contract_check_selftest.py` (exit 0 = all passed).

Runs contract_check.py as a subprocess on hand-made captures (the format fault_proxy.py --capture
writes) against a small OpenAPI 3.1 document written here, which has one of each feature the checker
handles, and against the project's docs/api/openapi.yaml for the feed/receipt line rules.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKER = os.path.join(HERE, "contract_check.py")
PROJECT_DOC = os.path.join(HERE, "..", "..", "..", "docs", "api", "openapi.yaml")

MINI_DOC = """
openapi: 3.1.0
info: {title: mini, version: "1"}
security: [{bearer: []}]
paths:
  /items/special:
    get:
      operationId: getSpecial
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {type: object, required: [special], properties: {special: {const: true}}}}}
  /items/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
    get:
      operationId: getItem
      parameters:
        - {name: q, in: query, required: true, schema: {type: string, minLength: 2}}
        - {name: n, in: query, schema: {type: integer, maximum: 10}}
        - {name: flag, in: query, schema: {type: boolean}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}}
        "4XX": {$ref: '#/components/responses/Err'}
  /upload:
    post:
      operationId: upload
      security: []
      parameters: [{$ref: '#/components/parameters/Key'}]
      requestBody:
        required: true
        content:
          application/x-ndjson:
            schema: {type: string}
            itemSchema: {$ref: '#/components/schemas/Item'}
      responses:
        default: {description: any, content: {application/json: {schema: {type: object}}}}
  /things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}
      responses:
        "201": {description: made}
  /text:
    get:
      operationId: getText
      security: []
      responses:
        "200": {description: t, content: {text/plain; version=1: {schema: {type: string}}}}
components:
  securitySchemes: {bearer: {type: http, scheme: bearer}}
  parameters:
    Key: {name: Idempotency-Key, in: header, required: true, schema: {type: string, maxLength: 5}}
  responses:
    Err: {description: e, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}
  schemas:
    Error: {type: object, required: [error], properties: {error: {type: string}}}
    Item:
      type: object
      required: [id, at]
      properties:
        id: {type: integer, format: int64}
        at: {type: string, format: date-time}
        day: {type: string, format: date}
        tags: {type: array, items: {$ref: '#/components/schemas/Tag'}}
    Tag: {type: object, properties: {name: {type: string}}}
"""

ND = {"content-type": "application/x-ndjson"}
ITEM = {"id": 1, "at": "2026-11-21T10:00:00Z", "day": "2026-11-21", "tags": [{"name": "a"}]}


def x(method, path, status=200, query=None, headers=None, auth=True, sig=False, body=None, response=None,
      content_type="application/json", answered_by="upstream", **extra):
    """One captured exchange as fault_proxy.py --capture writes it."""
    e = {"method": method, "path": path, "query": query or {}, "request_headers": headers or {},
         "authorization_present": auth, "signature_present": sig, "action": "pass", "rule": None,
         "answered_by": answered_by if status is not None else None, "status": status,
         "upstream_status": status}
    if body is not None:
        e["request_body_text"] = body if isinstance(body, str) else json.dumps(body)
    if status is not None and response is not None:
        e["response_content_type"] = content_type
        e["response_body_text"] = response if isinstance(response, str) else json.dumps(response)
    e.update(extra)
    return e


def lines(*objects):
    return "".join((o if isinstance(o, str) else json.dumps(o, ensure_ascii=False)) + "\n" for o in objects)


class Env:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="contract_check_selftest.")
        self.mini = os.path.join(self.dir, "mini.yaml")
        with open(self.mini, "w") as f:
            f.write(MINI_DOC)
        self.count = 0

    def run(self, exchanges, doc=None, args=(), raw=None):
        self.count += 1
        capture = os.path.join(self.dir, "capture-%d.jsonl" % self.count)
        with open(capture, "w", encoding="utf-8") as f:
            if raw is not None:
                f.write(raw)
            for e in exchanges:
                f.write(json.dumps(e, ensure_ascii=False) + "\n")
        p = subprocess.run([sys.executable, CHECKER, *args, doc or self.mini, capture],
                           capture_output=True, text=True, timeout=60)
        return p.returncode, p.stdout, p.stderr


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def fails(out):
    return [line for line in out.splitlines() if line.startswith("FAIL ")]


def expect(env, exchanges, failures, contains=(), absent=(), rc=None, **kw):
    code, out, err = env.run(exchanges, **kw)
    got = fails(out)
    check(len(got) == failures, "expected %d FAIL lines, got %d:\n%s\n%s" % (failures, len(got), out, err))
    for text in contains:
        check(text in out, "output lacks %r:\n%s" % (text, out))
    for text in absent:
        check(text not in out, "output has %r:\n%s" % (text, out))
    want = rc if rc is not None else (0 if failures == 0 else 1)
    check(code == want, "exit %d, expected %d:\n%s\n%s" % (code, want, out, err))
    return out


# ---------------------------------------------------------------------------------------------


def test_conforming(env):
    out = expect(env, [
        x("GET", "/items/special", response={"special": True}),
        x("GET", "/items/5", query={"q": ["ab"], "n": ["3"], "flag": ["true"]}, response=ITEM),
        x("POST", "/upload", auth=False, headers={"idempotency-key": "k1", "content-type": "application/x-ndjson"},
          body=lines(ITEM, ITEM), response={}),
        x("POST", "/things", headers={"content-type": "application/json; charset=utf-8"}, body=ITEM, status=201),
        x("GET", "/text", auth=False, response="hello", content_type="text/plain; version=1"),
    ], 0, contains=["checked 5 exchanges (2 request lines), 0 failures", "every operation of the document was exercised (5)"])
    check("note" not in out, "notes for conforming exchanges:\n" + out)


def test_operation_matching(env):
    expect(env, [
        x("GET", "/items/special", response=ITEM),       # the literal path wins over /items/{id}
        x("GET", "/nowhere", response={}),
        x("DELETE", "/text", auth=False, status=204),
    ], 3, contains=["#1 GET /items/special -> 200: response body /: 'special' is a required property",
                    "#2 GET /nowhere -> 200: no operation: no path template in the document matches /nowhere",
                    "the document has GET only for /text",
                    "not exercised (4 of 5 operations)"])


def test_parameters(env):
    expect(env, [
        x("GET", "/items/0", query={"q": ["ab"]}, response=ITEM),
        x("GET", "/items/abc", query={"q": ["ab"]}, response=ITEM),
        x("GET", "/items/1", response=ITEM),
        x("GET", "/items/1", query={"q": ["ab"], "n": ["11"]}, response=ITEM),
        x("GET", "/items/1", query={"q": ["ab"], "n": ["x"]}, response=ITEM),
        x("GET", "/items/1", query={"q": ["ab", "cd"]}, response=ITEM),
        x("GET", "/items/1", query={"q": ["ab"], "zz": ["1"]}, response=ITEM),
    ], 6, contains=["#1 GET /items/0 -> 200: request path parameter id=\"0\": 0 is less than the minimum of 1",
                    "#2 GET /items/abc -> 200: request path parameter id=\"abc\": \"abc\" is not of type \"integer\"",
                    "#3 GET /items/1 -> 200: request query parameter q: required but missing",
                    "query parameter n=\"11\": 11 is greater than the maximum of 10",
                    "query parameter n=\"x\": \"x\" is not of type \"integer\"",
                    "query parameter q: given 2 times",
                    "note query parameter 'zz' is not declared for getItem (1 exchange: #7)"])


def test_refused_requests_are_notes(env):
    expect(env, [
        x("GET", "/items/0", query={"q": ["ab"]}, status=404, response={"error": "no item 0"}),
        x("GET", "/items/1", auth=False, status=401, response={"error": "who are you"}),
        x("GET", "/items/1", query={"q": ["ab"]}, status=400, response={"error": "semantic"}),
    ], 0, contains=["note #1 GET /items/0 -> 404: refused as expected; request breaks the document: path parameter id",
                    "note #2 GET /items/1 -> 401: refused as expected; request breaks the document: security",
                    "note #3 GET /items/1 -> 400: 400 for a request that conforms to the document"])


def test_responses(env):
    expect(env, [
        x("GET", "/items/1", query={"q": ["ab"]}, status=404, response={"message": "x"}),  # via components/responses
        x("GET", "/items/1", query={"q": ["ab"]}, status=500, response={"error": "x"}),
        x("POST", "/upload", auth=False, headers=dict(ND, **{"idempotency-key": "k"}), body=lines(ITEM), status=500,
          response={"error": "default covers it"}),
        x("GET", "/items/1", query={"q": ["ab"]}, response="<html>", content_type="text/html"),
        x("GET", "/items/1", query={"q": ["ab"]}, response="{not json"),
        x("GET", "/items/1", query={"q": ["ab"]}, response=dict(ITEM, tags=[{"name": 5}], extra=1)),
        x("GET", "/items/1", query={"q": ["ab"]}, status=None),                               # reset: nothing to check
        x("GET", "/items/1", query={"q": ["ab"]}, status=503, response="busy", content_type="text/plain",
          answered_by="proxy", action="status"),
    ], 5, contains=["#1 GET /items/1 -> 404: response body /: 'error' is a required property",
                    "#2 GET /items/1 -> 500: response status: 500 is not declared for getItem (declared: 200, 4XX)",
                    "#4 GET /items/1 -> 200: response header Content-Type: text/html is not declared",
                    "#5 GET /items/1 -> 200: response body: not JSON",
                    "#6 GET /items/1 -> 200: response body /tags/0/name: 5 is not of type \"string\"",
                    "note response member /extra is not in the schema of getItem 200",
                    "note #8 GET /items/1 -> 503: answered by the proxy (status), not the regulator"],
           absent=["#3 ", "#7 "])


def test_request_bodies(env):
    expect(env, [
        x("POST", "/upload", auth=False, headers=ND, body=lines(ITEM), response={}),
        x("POST", "/upload", auth=False, headers=dict(ND, **{"idempotency-key": "toolong"}), body=lines(ITEM), response={}),
        x("POST", "/upload", auth=False, headers=dict(ND, **{"idempotency-key": "k"}),
          body=lines(ITEM, dict(ITEM, id="x"), "not json", dict(ITEM, at="2026-11-21 10:00")), response={}),
        x("POST", "/upload", auth=False, headers=dict(ND, **{"idempotency-key": "k"}), response={}),
        x("POST", "/things", headers={"content-type": "application/x-www-form-urlencoded"}, body=ITEM, status=201),
        x("POST", "/things", headers={"content-type": "application/json"}, body=dict(ITEM, day="2026-13-01"), status=201),
        x("POST", "/upload", auth=False, headers=dict(ND, **{"idempotency-key": "k", "content-encoding": "gzip"}),
          request_body_base64="bm90IGd6aXA=", request_body_error="cannot decode gzip body", response={}),
        x("POST", "/upload", auth=False, headers=dict(ND, **{"idempotency-key": "k"}), body=lines(dict(ITEM, id=None)),
          status=None),                                                       # the agent's side, no answer
    ], 10, contains=["#1 POST /upload -> 200: request header Idempotency-Key: required but missing",
                     "note header Content-Encoding is sent but not declared for upload (1 exchange: #7)",
                     "#2 POST /upload -> 200: request header Idempotency-Key=\"toolong\": 'toolong' is too long",
                     "#3 POST /upload -> 200: request body line 2 /id: \"x\" is not of type \"integer\"",
                     "#3 POST /upload -> 200: request body line 3: not JSON",
                     "#3 POST /upload -> 200: request body line 4 /at: '2026-11-21 10:00' is not a 'date-time'",
                     "#4 POST /upload -> 200: request body: required but empty",
                     "#5 POST /things -> 201: request header Content-Type: application/x-www-form-urlencoded is not declared",
                     "#6 POST /things -> 201: request body /day: '2026-13-01' is not a 'date'",
                     "#7 POST /upload -> 200: request body: cannot decode gzip body",
                     "#8 POST /upload -> no answer: request body line 1 /id: null is not of type \"integer\""])


def test_no_format(env):
    bad = [x("POST", "/things", headers={"content-type": "application/json"},
             body=dict(ITEM, at="2026-11-21 10:00", day="21/11/2026"), status=201)]
    expect(env, bad, 2)
    expect(env, bad, 0, args=["--no-format"])


def test_many_bad_lines(env):
    body = lines(*[dict(ITEM, id="bad-%d" % i) for i in range(25)])
    expect(env, [x("POST", "/upload", auth=False, headers=dict(ND, **{"idempotency-key": "k"}), body=body, response={}),
                 x("POST", "/upload", auth=False, body=lines(ITEM), response={})], 22,
           contains=["… and 5 more such line failures (counted) not shown",
                     "#2 POST /upload -> 200: request header Content-Type: missing; the body must be application/x-ndjson",
                     "checked 2 exchanges (26 request lines), 27 failures"],
           rc=1)


def test_capture_oddities(env):
    expect(env, [], 0, rc=1)  # nothing checked is not a pass
    expect(env, [{"method": None, "path": None, "status": 400, "answered_by": "proxy", "error": "bad request line"}],
           0, contains=["skipped"], rc=1)
    expect(env, [x("GET", "/text", auth=False, response="t", content_type="text/plain; version=1")], 1,
           raw="{half a line\n", contains=["#1: capture line is not a JSON object"])


def test_project_feed_lines(env):
    """The project's document: FeedItem lines for postFeed, `rejected` decides what is expected."""
    good = {"type": "merchant", "platform_id": "p", "key": "m1", "uscc": None, "content_hash": "12", "data": {"a": 1}}
    headers = {"idempotency-key": "b-1", "content-encoding": "gzip", "content-type": "application/x-ndjson"}
    body = lines(good, dict(good, content_hash="abc"), dict(good, type="bogus"), dict(good, key="m4"))
    answer = {"batch": "b-1", "accepted": 2, "duplicate": False, "rejected_count": 2,
              "rejected": [{"line": 2, "reason": "bad hash"}, {"line": 4, "reason": "semantic"}]}
    expect(env, [x("POST", "/v1/feeds", sig=True, headers=headers, body=body, response=answer)], 1, doc=PROJECT_DOC,
           contains=["note #1 POST /v1/feeds -> 200: line 2 rejected as expected (bad hash)",
                     "FAIL #1 POST /v1/feeds -> 200: request body line 3 /type: 'bogus' is not one of",
                     "(the regulator did not reject this line)",
                     "line 4 conforms to the document but the regulator rejected it: semantic",
                     "checked 1 exchanges (4 request lines), 1 failures"])
    receipt = {"receipt_id": "r", "instruction_id": "i", "platform_merchant_id": "m", "action": "executed", "at": "x"}
    expect(env, [
        x("POST", "/v1/receipts", sig=False, headers={"content-type": "application/x-ndjson"}, body=lines(receipt),
          response={"accepted": 1, "duplicates": 0, "rejected": [], "rejected_count": 0}),
        x("POST", "/v1/receipts", sig=True, headers={"content-type": "application/x-ndjson", "content-encoding": "br"},
          body=lines(dict(receipt, action="done")), response={"accepted": 1, "duplicates": 0, "rejected": [], "rejected_count": 0}),
        x("GET", "/v1/directives", query={"after": ["0"]},
          response={"directives": [{"id": "d", "cursor": "1", "type": "t", "platform_id": "p", "payload": {},
                                    "created_at": "2026-11-21T10:00:00Z"}], "next_cursor": 1}),
        x("GET", "/v1/admin/merchants/91510100MA6000008M",
          response={"uscc": "91510100MA6000008M", "identity": {"cursor": 1, "uscc": "u", "name": "n",
                                                               "registration_status": "bogus"},
                    "storefronts": [], "licences": [], "events": [], "findings": {},
                    "sandbox": None, "cases": [], "instructions": [], "prompts": [], "leads": [], "repairs": []}),
        x("GET", "/v1/directives", status=418, response={"error": "a teapot"}),
    ], 6, doc=PROJECT_DOC,
        contains=["#1 POST /v1/receipts -> 200: request header X-Sandbox-Signature: required but missing",
                  "#2 POST /v1/receipts -> 200: request header Content-Encoding=\"br\": 'br' is not one of ['gzip', 'identity']",
                  "#2 POST /v1/receipts -> 200: request body line 1 /action: 'done' is not one of",
                  "#3 GET /v1/directives -> 200: response body /directives/0/cursor: \"1\" is not of type \"integer\"",
                  "#4 GET /v1/admin/merchants/91510100MA6000008M -> 200: response body /identity:",
                  "#5 GET /v1/directives -> 418: response status: 418 is not declared for getDirectives"])


def test_missing_modules(env):
    code = ("import runpy, sys; sys.modules['yaml'] = None; sys.argv = ['contract_check.py', 'a', 'b']; "
            "runpy.run_path(%r, run_name='__main__')" % CHECKER)
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    check(p.returncode == 3, "exit %d, expected 3: %s" % (p.returncode, p.stderr))
    check("pip install pyyaml jsonschema" in p.stderr and "python3-yaml python3-jsonschema" in p.stderr,
          "message: %s" % p.stderr)


TESTS = [test_conforming, test_operation_matching, test_parameters, test_refused_requests_are_notes,
         test_responses, test_request_bodies, test_no_format, test_many_bad_lines, test_capture_oddities,
         test_project_feed_lines, test_missing_modules]


def main():
    env = Env()
    failures = []
    try:
        for test in TESTS:
            try:
                test(env)
                print("ok    %s" % test.__name__, flush=True)
            except Exception:
                failures.append(test.__name__)
                print("FAIL  %s\n%s" % (test.__name__, traceback.format_exc()), flush=True)
    finally:
        if failures:
            print("(work dir kept for inspection: %s)" % env.dir)
        else:
            shutil.rmtree(env.dir, ignore_errors=True)
    print("contract_check selftest: %d/%d passed%s" % (len(TESTS) - len(failures), len(TESTS),
                                                       ", FAILED: " + ", ".join(failures) if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

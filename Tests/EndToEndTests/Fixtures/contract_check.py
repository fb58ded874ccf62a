#!/usr/bin/env python3
"""Checks captured HTTP exchanges against an OpenAPI 3.1 document, both sides.

    python3 contract_check.py [--no-format] [--quiet] OPENAPI.yaml CAPTURE.jsonl

CAPTURE.jsonl is what `fault_proxy.py --capture PATH` writes: one exchange per line (method, path,
query, a few request headers, whether Authorization / X-Sandbox-Signature were present, the decoded
request body, the status the client got, the response's content type and decoded body).

For every exchange it finds the operation (method + path template; a literal path wins over a
template) and checks:

  request   security (Authorization sent when the operation needs the bearer token); path and query
            parameters (required ones present, values validated against their schema after coercing
            the string to the schema's type); header parameters it can see (Idempotency-Key and
            Content-Encoding values, X-Sandbox-Signature presence: the capture never holds its value);
            the body: Content-Type declared, application/json validated against the request schema,
            application/x-ndjson validated line by line (every non-empty line is JSON and matches the
            line schema, see LINE_SCHEMAS).
  response  the status is declared for the operation (exactly, as "4XX", or "default"); a JSON body
            validates against the schema declared for that status and content type ($refs into
            components/responses and components/schemas resolved against the whole document).

Schemas are JSON Schema 2020-12 (OpenAPI 3.1) and checked with jsonschema's Draft202012Validator;
`format` is asserted for date-time (RFC 3339), date, int32 and int64 (and whatever else jsonschema
knows), unless --no-format.

What counts as a failure:
  - no operation for the method and path, or a capture line that is not JSON;
  - a request that breaks the document, unless the regulator refused it with a 4xx: then it is the
    expected outcome of a negative test and is printed as a note ("refused as expected"). For JSON
    Lines bodies answered 2xx, a bad line is expected to be listed in the answer's `rejected`
    ([{line, reason}], 1-based lines of the decoded body); a bad line not listed is a failure;
  - an undeclared status, or a response body that breaks its schema;
  - answers the proxy made up itself (fault rules, its 502) are not the regulator's: their request
    side is checked, their response side is not. Exchanges without an answer (reset, dropped) are
    checked on the request side only.
Notes (not failures): undeclared query parameters and headers, a 400 to a request that conforms,
a conforming line the regulator rejected (the document may not say all the regulator checks),
object members the schemas do not mention (JSON Schema allows them; they are undocumented
fields), a gzip body sent without `Content-Encoding: gzip` (checked gunzipped).

Output: one line per failure (and per note, unless --quiet)
    FAIL #<exchange> <METHOD> <path> -> <status>: request|response <where> <JSON pointer>: <message>
(<exchange> counts the capture's non-empty lines from 1), then
`checked N exchanges (M request lines), K failures`, then the operations no exchange exercised and
the declared responses no exchange produced. Exit 0 when there are no failures and at least one
exchange was checked, 1 otherwise, 2 for unusable input, 3 when PyYAML or jsonschema is missing.
"""
import argparse
import base64
import gzip
import json
import re
import sys
import urllib.parse
from datetime import date, datetime

try:
    import yaml
    import jsonschema
    from jsonschema import Draft202012Validator, FormatChecker
except ImportError as e:  # pragma: no cover - depends on the machine
    print("contract_check.py: cannot import %s; it needs PyYAML and jsonschema (4.0 or newer):\n"
          "    pip install pyyaml jsonschema\n"
          "or, on Debian/Ubuntu: apt-get install python3-yaml python3-jsonschema" % e.name, file=sys.stderr)
    sys.exit(3)

try:  # jsonschema >= 4.18 resolves $ref through `referencing`; older ones through RefResolver
    import referencing
    import referencing.jsonschema
except ImportError:  # pragma: no cover
    referencing = None

# The base URI the whole document is registered under, so '#/components/schemas/X' in any schema
# of it resolves against the document (an http-like URI: urljoin does not join urn: references).
BASE_URI = "https://contract-check.invalid/openapi.yaml"

# application/x-ndjson bodies are declared as `type: string` (a schema cannot describe the lines);
# the operations' descriptions name the line schema, which is mapped here by operationId.
# (A media type's `itemSchema`, as OpenAPI 3.2 writes it, is used when present instead.)
LINE_SCHEMAS = {
    "postFeed": "/components/schemas/FeedItem",      # "Each line is a `FeedItem`."
    "postReceipts": "/components/schemas/Receipt",   # "One Receipt per line"
    "exportLeadSteps": "/components/schemas/LeadStepRecord",  # "One LeadStepRecord per line"
}

NDJSON_TYPES = {"application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines"}
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# The request headers fault_proxy.py --capture keeps (lowercase), and the two it only flags.
CAPTURED_HEADERS = {"content-type", "content-encoding", "idempotency-key"}
PRESENCE_FLAGS = {"authorization": "authorization_present", "x-sandbox-signature": "signature_present"}
HEADER_SPELLING = {"content-type": "Content-Type", "content-encoding": "Content-Encoding",
                   "idempotency-key": "Idempotency-Key", "x-sandbox-signature": "X-Sandbox-Signature"}
MAX_ERRORS_PER_BODY = 5      # schema errors printed per JSON document
MAX_LINE_FAILURES_SHOWN = 20  # failing ndjson lines printed per exchange (all are counted)
MAX_MESSAGE = 300


def escape_pointer(token):
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer_of(path):
    return "".join("/" + escape_pointer(p) for p in path)


def shorten(text, limit=MAX_MESSAGE):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def media_base(content_type):
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_json_media(media):
    return media == "application/json" or media.endswith("+json")


# ---------------------------------------------------------------------------------------------
# The document


class Document:
    def __init__(self, doc, assert_formats=True):
        if not isinstance(doc, dict) or not isinstance(doc.get("paths"), dict):
            raise ValueError("not an OpenAPI document (no paths)")
        self.doc = normalise_keys(doc)
        self.validators = {}
        self.format_checker = make_format_checker() if assert_formats else None
        if referencing is not None:
            resource = referencing.jsonschema.DRAFT202012.create_resource(self.doc)
            self.registry = referencing.Registry().with_resource(BASE_URI, resource)
        else:
            self.resolver = jsonschema.RefResolver(BASE_URI, self.doc)
        self.operations = []  # (method, template, regex, literal segment count, operation, pointer)
        for template, item in self.doc["paths"].items():
            item, item_pointer = self.resolve(item, pointer_of(["paths", template]))
            for method in HTTP_METHODS:
                if isinstance(item.get(method), dict):
                    self.operations.append(Operation(self, method.upper(), template, item, item_pointer, method))

    def lookup(self, pointer):
        node = self.doc
        for token in pointer.split("/")[1:]:
            token = token.replace("~1", "/").replace("~0", "~")
            if isinstance(node, list):
                node = node[int(token)]
            else:
                node = node[token]
        return node

    def resolve(self, node, pointer):
        """Follows local $refs (an object that is only a reference); returns (node, its pointer)."""
        seen = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if not ref.startswith("#"):
                raise ValueError("%s: only local $refs are supported, got %r" % (pointer, ref))
            if ref in seen:
                raise ValueError("%s: $ref loop through %r" % (pointer, ref))
            seen.add(ref)
            pointer = urllib.parse.unquote(ref[1:])
            node = self.lookup(pointer)
        return node, pointer

    def validator(self, pointer):
        """A Draft 2020-12 validator for the schema at this pointer of the document."""
        v = self.validators.get(pointer)
        if v is None:
            schema = {"$ref": BASE_URI + "#" + urllib.parse.quote(pointer, safe="/~")}
            kwargs = {"format_checker": self.format_checker}
            if referencing is not None:
                kwargs["registry"] = self.registry
            else:
                kwargs["resolver"] = self.resolver
            v = self.validators[pointer] = Draft202012Validator(schema, **kwargs)
        return v

    def errors(self, pointer, instance, prefix=""):
        """["<prefix><JSON pointer>: message", …] for the instance against the schema at pointer."""
        try:
            found = sorted(self.validator(pointer).iter_errors(instance),
                           key=lambda e: (list(map(str, e.absolute_path)), e.message))
        except Exception as e:  # a broken schema in the document, or a $ref that does not resolve
            return ["%s: the document's schema at %s cannot be used: %s" % (prefix or "/", pointer, shorten(e))]
        out = []
        for e in found[:MAX_ERRORS_PER_BODY]:
            where = pointer_of(e.absolute_path) or "/"
            message = e.message
            if e.validator == "type":  # JSON spelling (null, true), not Python's (None, True)
                message = "%s is not of type %s" % (shorten(json.dumps(e.instance, ensure_ascii=False), 80),
                                                    json.dumps(e.validator_value))
            if e.context:  # oneOf/anyOf: say what the closest branch wanted
                best = jsonschema.exceptions.best_match(e.context)
                if best is not None:
                    message += " (closest: %s at %s)" % (best.message, pointer_of(best.absolute_path) or "/")
            out.append("%s%s: %s" % (prefix, where, shorten(message)))
        if len(found) > MAX_ERRORS_PER_BODY:
            out.append("%s: … and %d more schema errors" % (prefix or "/", len(found) - MAX_ERRORS_PER_BODY))
        return out

    def undeclared(self, pointer, instance, max_depth=64):
        """Paths of object members the schema does not mention (JSON Schema allows them unless it
        says otherwise, so these are notes: fields the document does not describe). Array indexes
        and additionalProperties keys are written as *. A schema that lists no properties at all
        ({type: object}, {}) is free-form and not looked into."""
        found = set()
        self._undeclared([pointer], instance, "", found, max_depth)
        return sorted(found)

    def _collect(self, pointer, instance, into, depth=0):
        """The schemas that apply to instance at pointer: $ref, allOf, and the anyOf/oneOf branches
        it validates against, as (schema, pointer) pairs."""
        if depth > 32:
            return
        try:
            schema = self.lookup(pointer)
        except (KeyError, IndexError, ValueError):
            return
        if not isinstance(schema, dict):
            return
        into.append((schema, pointer))
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            self._collect(urllib.parse.unquote(ref[1:]), instance, into, depth + 1)
        for i, _ in enumerate(schema.get("allOf") or []):
            self._collect("%s/allOf/%d" % (pointer, i), instance, into, depth + 1)
        for keyword in ("anyOf", "oneOf"):
            for i, _ in enumerate(schema.get(keyword) or []):
                branch = "%s/%s/%d" % (pointer, keyword, i)
                try:
                    if self.validator(branch).is_valid(instance):
                        self._collect(branch, instance, into, depth + 1)
                except Exception:
                    pass

    def _undeclared(self, pointers, instance, path, found, depth):
        if depth < 0:
            return
        schemas = []
        for pointer in pointers:
            self._collect(pointer, instance, schemas)
        if isinstance(instance, dict):
            described = False
            members = {}      # member name -> [subschema pointers]
            patterns = []     # (regex, pointer)
            additional = []   # pointers of additionalProperties / unevaluatedProperties schemas
            for schema, pointer in schemas:
                if isinstance(schema.get("properties"), dict):
                    described = True
                    for name in schema["properties"]:
                        members.setdefault(name, []).append("%s/properties/%s" % (pointer, escape_pointer(name)))
                if isinstance(schema.get("patternProperties"), dict):
                    described = True
                    for pattern in schema["patternProperties"]:
                        patterns.append((pattern, "%s/patternProperties/%s" % (pointer, escape_pointer(pattern))))
                for keyword in ("additionalProperties", "unevaluatedProperties"):
                    if keyword in schema:
                        described = True
                        if schema[keyword] is not False:
                            additional.append("%s/%s" % (pointer, keyword))
            if not described:
                return
            for name, value in instance.items():
                subs = list(members.get(name, []))
                subs += [p for pattern, p in patterns if re.search(pattern, name)]
                if subs:
                    self._undeclared(subs, value, "%s/%s" % (path, escape_pointer(name)), found, depth - 1)
                elif additional:
                    self._undeclared(additional, value, path + "/*", found, depth - 1)
                else:
                    found.add("%s/%s" % (path, escape_pointer(name)))
        elif isinstance(instance, list):
            items = ["%s/items" % pointer for schema, pointer in schemas if isinstance(schema.get("items"), dict)]
            for value in instance:
                if items:
                    self._undeclared(items, value, path + "/*", found, depth - 1)

    def match(self, method, path):
        """(operation, path parameters) or (None, reason)."""
        candidates = []
        for op in self.operations:
            m = op.regex.fullmatch(path)
            if m:
                candidates.append((op.literal_segments, op, m))
        if not candidates:
            return None, "no path template in the document matches %s" % path
        best = max(c[0] for c in candidates)
        templates = [c for c in candidates if c[0] == best]
        for _, op, m in templates:
            if op.method == method:
                return op, {k: urllib.parse.unquote(v) for k, v in m.groupdict().items()}
        # A more literal template without this method does not hide a templated one with it.
        for _, op, m in sorted(candidates, key=lambda c: -c[0]):
            if op.method == method:
                return op, {k: urllib.parse.unquote(v) for k, v in m.groupdict().items()}
        methods = sorted({op.method for _, op, _ in candidates})
        return None, "%s %s: the document has %s only for %s" % (method, path, "/".join(methods),
                                                                 templates[0][1].template)


def normalise_keys(node):
    """YAML turns unquoted response codes (200) into ints and dates into date objects: make them JSON."""
    if isinstance(node, dict):
        return {str(k): normalise_keys(v) for k, v in node.items()}
    if isinstance(node, list):
        return [normalise_keys(v) for v in node]
    if isinstance(node, (date, datetime)):
        return node.isoformat()
    return node


RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def make_format_checker():
    checker = FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def is_date_time(value):  # RFC 3339 section 5.6, without relying on optional packages
        if not isinstance(value, str):
            return True
        m = RFC3339.match(value)
        if not m:
            return False
        offset = m.group(8).upper()
        if offset != "Z" and (int(offset[1:3]) > 23 or int(offset[4:6]) > 59):
            return False
        second = int(m.group(6))
        datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4)), int(m.group(5)),
                 59 if second == 60 else second)  # leap second allowed
        return second <= 60

    @checker.checks("date", raises=ValueError)
    def is_date(value):
        if not isinstance(value, str):
            return True
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return False
        date.fromisoformat(value)
        return True

    def integer_range(bits):
        def check(value):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return True
            return -(1 << (bits - 1)) <= value <= (1 << (bits - 1)) - 1
        return check

    checker.checks("int32")(integer_range(32))
    checker.checks("int64")(integer_range(64))
    return checker


class Operation:
    def __init__(self, document, method, template, item, item_pointer, key):
        self.document = document
        self.method = method
        self.template = template
        self.pointer = item_pointer + "/" + key
        self.op = item[key]
        self.operation_id = self.op.get("operationId") or "%s %s" % (method, template)
        pattern, literal = "", 0
        for segment in template.split("/")[1:]:
            pattern += "/"
            for piece in re.split(r"(\{[^}/]+\})", segment):
                if piece.startswith("{") and piece.endswith("}"):
                    pattern += "(?P<%s>[^/]+)" % re.sub(r"\W", "_", piece[1:-1])
                else:
                    pattern += re.escape(piece)
            if "{" not in segment:
                literal += 1
        self.regex = re.compile(pattern or "/")
        self.literal_segments = literal
        # Parameters: the path item's, overridden by the operation's with the same name and place.
        params = {}
        for base, listed in ((item_pointer, item.get("parameters") or []), (self.pointer, self.op.get("parameters") or [])):
            prefix = base + "/parameters"
            for i, p in enumerate(listed):
                p, p_pointer = document.resolve(p, "%s/%d" % (prefix, i))
                params[(p.get("name", "").lower(), p.get("in"))] = (p, p_pointer)
        self.parameters = list(params.values())
        security = self.op.get("security", document.doc.get("security") or [])
        # Needs a credential unless there is no requirement or one requirement is empty ({}).
        self.needs_bearer = False
        if security and not any(not req for req in security):
            schemes = (document.doc.get("components") or {}).get("securitySchemes") or {}
            for req in security:
                for name in req:
                    scheme, _ = document.resolve(schemes.get(name) or {}, "/components/securitySchemes/" + name)
                    if scheme.get("type") == "http" or (scheme.get("type") == "apiKey" and scheme.get("in") == "header"
                                                         and str(scheme.get("name", "")).lower() == "authorization"):
                        self.needs_bearer = True

    def label(self):
        return "%s %s (%s)" % (self.method, self.template, self.operation_id)


# ---------------------------------------------------------------------------------------------
# Checking one exchange


def coerce(value, schema):
    """A query/path/header string as the schema's type, so `after=5` validates as an integer."""
    types = schema.get("type")
    types = [types] if isinstance(types, str) else list(types or [])
    if "integer" in types and re.fullmatch(r"[+-]?\d+", value.strip()):
        return int(value)
    if "number" in types and re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", value.strip()):
        return float(value)
    if "boolean" in types and value in ("true", "false"):
        return value == "true"
    if "null" in types and value == "" and "string" not in types:
        return None
    return value


class Result:
    def __init__(self):
        self.failures = 0
        self.lines = []
        self.repeated = {}  # note text -> [exchange numbers], printed once at the end

    def fail(self, text):
        self.failures += 1
        self.lines.append("FAIL " + text)

    def note(self, text):
        self.lines.append("note " + text)

    def note_once(self, text, index):
        self.repeated.setdefault(text, []).append(index)

    def repeated_notes(self):
        for text, indexes in self.repeated.items():
            shown = ", ".join("#%d" % i for i in indexes[:10]) + (", …" if len(indexes) > 10 else "")
            yield "note %s (%d exchange%s: %s)" % (text, len(indexes), "" if len(indexes) == 1 else "s", shown)


class ExchangeCheck:
    def __init__(self, document, index, exchange, result):
        self.document = document
        self.index = index
        self.x = exchange
        self.result = result
        self.request_problems = []   # (text) request-side violations
        self.response_problems = []
        self.request_lines = 0
        self.line_problems = []      # (line number, text) for JSON Lines bodies
        self.seen_response = None    # the responses key the status matched

    def head(self):
        status = self.x.get("status")
        return "#%d %s %s -> %s" % (self.index, self.x.get("method"), self.x.get("path"),
                                    status if status is not None else "no answer")

    def run(self):
        x = self.x
        op, params_or_reason = self.document.match(str(x["method"]).upper(), x.get("path") or "")
        if op is None:
            self.result.fail("%s: no operation: %s" % (self.head(), params_or_reason))
            return None
        self.check_request(op, params_or_reason)
        status = x.get("status")
        from_regulator = x.get("answered_by") == "upstream" and isinstance(status, int)
        refused = from_regulator and 400 <= status < 500
        for text in self.request_problems:
            if refused:
                self.result.note("%s: refused as expected; request breaks the document: %s" % (self.head(), text))
            else:
                self.result.fail("%s: request %s" % (self.head(), text))
        self.report_lines(refused, self.rejected_lines() if from_regulator and 200 <= status < 300 else {})
        if x.get("answered_by") == "proxy":
            self.result.note("%s: answered by the proxy (%s), not the regulator: response not checked"
                             % (self.head(), x.get("action")))
        elif status is not None:
            self.check_response(op, status)
            if status == 400 and not self.request_problems and not self.line_problems:
                self.result.note("%s: 400 for a request that conforms to the document (%s)"
                                 % (self.head(), shorten(x.get("response_body_text", ""), 160)))
        for text in self.response_problems:
            self.result.fail("%s: response %s" % (self.head(), text))
        return op

    def rejected_lines(self):
        """{line: reason} from a 2xx answer's `rejected: [{line, reason}]` (feeds, receipts)."""
        try:
            answer = json.loads(self.x.get("response_body_text", ""))
        except ValueError:
            return {}
        listed = answer.get("rejected") if isinstance(answer, dict) else None
        out = {}
        for item in listed if isinstance(listed, list) else []:
            if isinstance(item, dict) and isinstance(item.get("line"), int):
                out[item["line"]] = str(item.get("reason", ""))
        return out

    def report_lines(self, refused, rejected):
        """A bad line is expected to be refused: by a 4xx for the whole body, or (2xx) by being
        listed in the answer's `rejected`. A bad line the regulator took is a failure; a good line
        it rejected is a note (the document may not say what the regulator checks)."""
        shown = {"FAIL": 0, "note": 0}
        hidden = {"FAIL": 0, "note": 0}

        def emit(kind, text):
            if shown[kind] < MAX_LINE_FAILURES_SHOWN:
                shown[kind] += 1
                (self.result.fail if kind == "FAIL" else self.result.note)("%s: %s" % (self.head(), text))
            else:
                hidden[kind] += 1
                if kind == "FAIL":
                    self.result.failures += 1

        bad = set()
        for number, text in self.line_problems:
            bad.add(number)
            if refused:
                emit("note", "refused as expected; request breaks the document: %s" % text)
            elif number in rejected:
                emit("note", "line %d rejected as expected (%s); it breaks the document: %s"
                     % (number, shorten(rejected[number], 120), text))
            else:
                emit("FAIL", "request %s (the regulator did not reject this line)" % text
                     if self.x.get("answered_by") == "upstream" and self.x.get("status") is not None
                     else "request %s" % text)
        for number in sorted(set(rejected) - bad):
            emit("note", "line %d conforms to the document but the regulator rejected it: %s"
                 % (number, shorten(rejected[number], 200)))
        for kind in ("FAIL", "note"):
            if hidden[kind]:
                self.result.note("%s: … and %d more such line %s not shown" % (
                    self.head(), hidden[kind], "failures (counted)" if kind == "FAIL" else "notes"))

    # -- request

    def check_request(self, op, path_params):
        x = self.x
        doc = self.document
        if op.needs_bearer and not x.get("authorization_present"):
            self.request_problems.append("security: Authorization is required (bearer token) but was not sent")
        query = x.get("query") or {}
        headers = {k.lower(): v for k, v in (x.get("request_headers") or {}).items()}
        declared_query = set()
        for p, p_pointer in op.parameters:
            name, place = p.get("name", ""), p.get("in")
            schema = p.get("schema")
            schema_pointer = p_pointer + "/schema"
            if isinstance(schema, dict):
                schema, schema_pointer = doc.resolve(schema, schema_pointer)
            else:
                schema = None
            where = "%s parameter %s" % (place, name)
            if place == "path":
                key = re.sub(r"\W", "_", name)
                if key not in path_params:
                    self.request_problems.append("%s: declared but not in the template %s" % (where, op.template))
                    continue
                self.check_value(where, path_params[key], schema, schema_pointer)
            elif place == "query":
                declared_query.add(name)
                values = query.get(name)
                if not values:
                    if p.get("required"):
                        self.request_problems.append("%s: required but missing" % where)
                    continue
                types = schema.get("type") if schema else None
                if len(values) > 1 and not (types == "array" or (isinstance(types, list) and "array" in types)):
                    self.request_problems.append("%s: given %d times, the schema takes one value" % (where, len(values)))
                self.check_value(where, values[0], schema, schema_pointer)
            elif place == "header":
                lname = name.lower()
                if lname in PRESENCE_FLAGS:
                    flag = PRESENCE_FLAGS[lname]
                    if flag not in x:
                        if p.get("required"):
                            self.result.note("%s: %s is required; the capture does not say if it was sent"
                                             % (self.head(), name))
                    elif p.get("required") and not x.get(flag):
                        self.request_problems.append("header %s: required but missing" % name)
                    # The value is never captured (a secret or derived from one): presence only.
                elif lname in CAPTURED_HEADERS:
                    if lname not in headers:
                        if p.get("required"):
                            self.request_problems.append("header %s: required but missing" % name)
                        continue
                    self.check_value("header " + name, headers[lname], schema, schema_pointer)
                elif p.get("required"):
                    self.result.note("%s: required header %s is not captured, not checked" % (self.head(), name))
        for name in sorted(set(query) - declared_query):
            self.result.note_once("query parameter %r is not declared for %s" % (name, op.operation_id), self.index)
        # Headers sent that the operation does not declare (not an error in OpenAPI; maybe a gap).
        declared_headers = {p.get("name", "").lower() for p, _ in op.parameters if p.get("in") == "header"}
        sent = set(headers) - {"content-type"}
        sent |= {name for name, flag in PRESENCE_FLAGS.items() if x.get(flag) and name != "authorization"}
        for name in sorted(sent - declared_headers):
            self.result.note_once("header %s is sent but not declared for %s"
                                  % (HEADER_SPELLING.get(name, name), op.operation_id), self.index)
        self.check_request_body(op, headers)

    def sniffed_gzip(self, headers):
        """The text of a gzip body sent without `Content-Encoding: gzip` (the capture could not know
        to gunzip it), so its lines are still checked; the missing header is reported apart."""
        try:
            data = base64.b64decode(self.x.get("request_body_base64", ""))
            if data[:2] != b"\x1f\x8b" or "gzip" in headers.get("content-encoding", "").lower():
                return None
            text = gzip.decompress(data).decode("utf-8")
        except (ValueError, OSError, EOFError, UnicodeDecodeError):
            return None
        self.result.note("%s: the body is gzip without `Content-Encoding: gzip`; its lines are checked gunzipped"
                         % self.head())
        return text

    def check_value(self, where, raw, schema, schema_pointer):
        if schema is None:
            return
        value = coerce(str(raw), schema)
        for problem in self.document.errors(schema_pointer, value):
            message = problem.split(": ", 1)[1] if ": " in problem else problem
            self.request_problems.append("%s=%s: %s" % (where, shorten(json.dumps(raw, ensure_ascii=False), 60),
                                                        shorten(message, 120)))

    def check_request_body(self, op, headers):
        x = self.x
        doc = self.document
        has_text = "request_body_text" in x
        has_body = has_text or "request_body_base64" in x
        body_decl = op.op.get("requestBody")
        if body_decl is None:
            if has_body:
                self.request_problems.append("body: sent, but %s declares no request body" % op.operation_id)
            return
        body_decl, body_pointer = doc.resolve(body_decl, op.pointer + "/requestBody")
        if not has_body:
            if body_decl.get("required"):
                self.request_problems.append("body: required but empty")
            return
        text = x.get("request_body_text")
        if "request_body_error" in x:
            text = self.sniffed_gzip(headers)
            if text is None:
                self.request_problems.append("body: %s" % x["request_body_error"])
                return
        content = body_decl.get("content") or {}
        media = media_base(headers.get("content-type"))
        key = find_media(content, media)
        if key is None:
            declared = ", ".join(content) or "nothing"
            if not media:
                self.request_problems.append("header Content-Type: missing; the body must be %s" % declared)
            else:
                self.request_problems.append("header Content-Type: %s is not declared; the body must be %s"
                                             % (headers.get("content-type"), declared))
            if len(content) != 1:
                return
            key = next(iter(content))  # still check the body against the only type declared
        media_obj, media_pointer = doc.resolve(content[key] or {}, body_pointer + "/content/" + escape_pointer(key))
        kind = media_base(key)
        if kind in NDJSON_TYPES:
            line_pointer = None
            if isinstance(media_obj.get("itemSchema"), dict):
                line_pointer = media_pointer + "/itemSchema"
            elif op.operation_id in LINE_SCHEMAS:
                line_pointer = LINE_SCHEMAS[op.operation_id]
            self.check_lines(text, line_pointer, op.operation_id)
        elif is_json_media(kind):
            try:
                value = json.loads(text)
            except ValueError as e:
                self.request_problems.append("body: not JSON (%s)" % e)
                return
            if isinstance(media_obj.get("schema"), dict):
                for problem in doc.errors(media_pointer + "/schema", value, "body "):
                    self.request_problems.append(problem)
                for member in doc.undeclared(media_pointer + "/schema", value):
                    self.result.note_once("request body member %s is not in the schema of %s"
                                          % (member, op.operation_id), self.index)

    def check_lines(self, text, line_pointer, operation_id):
        for number, line in enumerate(text.split("\n"), 1):
            line = line.rstrip("\r")
            if not line.strip():
                continue
            self.request_lines += 1
            problems = []
            try:
                value = json.loads(line)
            except ValueError as e:
                problems.append("body line %d: not JSON (%s)" % (number, e))
            else:
                if line_pointer is not None:
                    problems = self.document.errors(line_pointer, value, "body line %d " % number)
                    # Top level only: FeedItem.data holds the export's columns, described in prose.
                    for member in self.document.undeclared(line_pointer, value, max_depth=0):
                        self.result.note_once("request line member %s is not in %s (%s)"
                                              % (member, line_pointer.rsplit("/", 1)[-1], operation_id), self.index)
            if problems:
                self.line_problems.append((number, "; ".join(problems)))

    # -- response

    def check_response(self, op, status):
        x = self.x
        doc = self.document
        responses = op.op.get("responses") or {}
        key = None
        for candidate in (str(status), "%dXX" % (status // 100), "%dxx" % (status // 100), "default"):
            if candidate in responses:
                key = candidate
                break
        if key is None:
            self.response_problems.append("status: %d is not declared for %s (declared: %s)"
                                          % (status, op.operation_id, ", ".join(responses)))
            return
        self.seen_response = key
        resp, resp_pointer = doc.resolve(responses[key], op.pointer + "/responses/" + escape_pointer(key))
        content = resp.get("content") or {}
        if not content or x.get("response_incomplete"):
            return
        media = media_base(x.get("response_content_type"))
        has_body = "response_body_text" in x or "response_body_base64" in x
        media_key = find_media(content, media)
        if media_key is None:
            if not has_body and not media:
                self.response_problems.append("body: empty, but %s %s declares %s"
                                              % (op.operation_id, key, ", ".join(content)))
            else:
                self.response_problems.append("header Content-Type: %s is not declared for %s %s (declared: %s)"
                                              % (x.get("response_content_type"), op.operation_id, key,
                                                 ", ".join(content)))
            return
        if "response_body_error" in x:
            self.response_problems.append("body: %s" % x["response_body_error"])
            return
        media_obj, media_pointer = doc.resolve(content[media_key] or {},
                                               resp_pointer + "/content/" + escape_pointer(media_key))
        if is_json_media(media_base(media_key)):
            try:
                value = json.loads(x.get("response_body_text", ""))
            except ValueError as e:
                self.response_problems.append("body: not JSON (%s): %s"
                                              % (e, shorten(x.get("response_body_text", ""), 120)))
                return
            if isinstance(media_obj.get("schema"), dict):
                for problem in doc.errors(media_pointer + "/schema", value, "body "):
                    self.response_problems.append(problem)
                for member in doc.undeclared(media_pointer + "/schema", value):
                    self.result.note_once("response member %s is not in the schema of %s %s"
                                          % (member, op.operation_id, key), self.index)


def find_media(content, media):
    """The content key for a media type: exact, then `type/*`, then `*/*`."""
    by_base = {}
    for key in content:
        by_base.setdefault(media_base(key), key)
    if media in by_base:
        return by_base[media]
    if media and media.split("/")[0] + "/*" in by_base:
        return by_base[media.split("/")[0] + "/*"]
    return by_base.get("*/*")


# ---------------------------------------------------------------------------------------------


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("openapi", help="the OpenAPI 3.1 document (YAML or JSON)")
    p.add_argument("capture", help="JSON Lines written by fault_proxy.py --capture")
    p.add_argument("--no-format", action="store_true", help="treat `format` as an annotation only")
    p.add_argument("--quiet", action="store_true", help="print failures and the summary, not the notes")
    args = p.parse_args(argv)

    try:
        with open(args.openapi, encoding="utf-8") as f:
            document = Document(yaml.safe_load(f), assert_formats=not args.no_format)
    except (OSError, ValueError, KeyError, yaml.YAMLError) as e:
        print("contract_check.py: cannot use %s: %s" % (args.openapi, e), file=sys.stderr)
        return 2
    try:
        with open(args.capture, encoding="utf-8") as f:
            raw_lines = f.read().split("\n")
    except (OSError, UnicodeDecodeError) as e:
        print("contract_check.py: cannot read %s: %s" % (args.capture, e), file=sys.stderr)
        return 2

    result = Result()
    checked = request_lines = skipped = 0
    exercised = set()
    responses_seen = set()  # (id(op), responses key)
    index = 0
    for raw in raw_lines:
        if not raw.strip():
            continue
        index += 1
        try:
            exchange = json.loads(raw)
            if not isinstance(exchange, dict):
                raise ValueError("not an object")
        except ValueError as e:
            result.fail("#%d: capture line is not a JSON object (%s)" % (index, e))
            continue
        if not exchange.get("method"):
            skipped += 1
            result.note("#%d: not an HTTP request the proxy could parse (%s): skipped"
                        % (index, exchange.get("error", "no method")))
            continue
        check = ExchangeCheck(document, index, exchange, result)
        op = check.run()
        checked += 1
        request_lines += check.request_lines
        if op is not None:
            exercised.add(id(op))
            responses_seen.add((id(op), check.seen_response))

    for line in result.lines + list(result.repeated_notes()):
        if args.quiet and line.startswith("note "):
            continue
        print(line)
    print("checked %d exchanges (%d request lines), %d failures%s"
          % (checked, request_lines, result.failures, ", %d skipped" % skipped if skipped else ""))
    missing = [op for op in document.operations if id(op) not in exercised]
    if missing:
        print("not exercised (%d of %d operations): %s" % (len(missing), len(document.operations),
                                                           ", ".join(op.label() for op in missing)))
    else:
        print("every operation of the document was exercised (%d)" % len(document.operations))
    unseen = []
    for op in document.operations:
        keys = [k for k in (op.op.get("responses") or {}) if (id(op), k) not in responses_seen]
        if keys and id(op) in exercised:
            unseen.append("%s %s" % (op.operation_id, " ".join(keys)))
    if unseen:
        print("declared responses not seen: " + "; ".join(unseen))
    if checked == 0:
        print("contract_check.py: no exchange was checked", file=sys.stderr)
        return 1
    return 0 if result.failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

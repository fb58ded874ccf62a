#!/usr/bin/env python3
"""A fault-injecting HTTP/1.1 proxy for the agent's end-to-end tests (127.0.0.1 only, stdlib only).

It sits between the agent (libcurl, HTTP/1.1 keep-alive) and the real regulator server:

    python3 fault_proxy.py --listen-port 0 --upstream 127.0.0.1:PORT --control-file PATH \
        [--tls-cert CERT.pem --tls-key KEY.pem] [--log PATH] [--capture PATH] [--upstream-timeout SECONDS]

Once listening it prints exactly one line "PORT <n>" on stdout. With --tls-cert/--tls-key it
terminates TLS on the listening side and speaks plain HTTP to the upstream, which is also how the
tests put TLS in front of the (plain HTTP) regulator.

Each client connection gets its own thread and its own upstream connection (opened lazily,
reused while both sides keep it alive), so the regulator sees the agent's connection pattern.
Request bodies are read completely before anything else happens (chunked ones are re-framed with
Content-Length); responses are streamed back with their own framing (Content-Length, or chunked
when the upstream did not announce a length).

Faults come from the control file, re-read for every request so a test can change behaviour while
the proxy runs (write it atomically: temp file + rename, or a half-written file reads as "pass"):

    {"rules": [
        {"path_prefix": "/v1/feeds", "method": "POST", "action": "status", "status": 503,
         "headers": {"Retry-After": "1"}, "body": "busy", "count": 2},
        {"path_prefix": "/v1/", "action": "delay", "seconds": 1.5}
    ]}

The first rule whose path_prefix is a prefix of the request target (query included; absent = every
request), whose optional method matches, and whose count is not used up (absent = unlimited)
applies; no matching rule means "pass". Used counts live in memory, keyed by rule index, and start
again from zero whenever the file's bytes change. A missing, empty or unparseable file passes
everything. Actions:

    pass                    forward normally
    status                  answer without forwarding: "status" (default 503), optional "headers",
                            optional "body" (string, or JSON value sent as application/json),
                            optional "close": true to close after answering; keep-alive otherwise
    delay                   forward after sleeping "seconds" (a slow regulator)
    reset                   read the request, then abort the client connection (TCP RST)
    reset_after_forward     forward, read the whole answer, then abort the client connection
                            without relaying it (the regulator applied it, the client never knew)
    drop_connection_before  read the request, then close the client connection (FIN), no answer

"seconds" is honoured by every action (sleep first, then act), so a slow 503 is one rule.

Mind libcurl: when a REUSED keep-alive connection dies before any answer byte (reset,
drop_connection_before, reset_after_forward), curl silently retries the request once on a fresh
connection, POSTs included. With "count": 1 the agent never sees the fault (and after
reset_after_forward the regulator gets the request twice); use "count": 2 or more, or no count,
to make the failure reach the agent.

With --log, one JSON line per request (flushed) is written BEFORE the client can observe the
outcome, so a test that has its answer (or its error) can read the log:
    {"time": "...Z", "conn": 1, "seq": 1, "method": "POST", "path": "/v1/feeds", "bytes": 123,
     "action": "pass", "rule": null, "upstream_status": 200}
plus "error" when the upstream could not be reached (the client then gets a 502).

With --capture, one JSON line per exchange (flushed) records what was said, for contract checks
(contract_check.py validates it against docs/api/openapi.yaml). It too is written before the client
can observe the end of the answer: before the last body byte, the chunked terminator, or the head
of a bodiless answer.
    {"time": "...Z", "conn": 1, "seq": 1, "method": "POST", "path": "/v1/feeds",
     "query": {"after": ["0"]},                       # urllib.parse.parse_qs, blank values kept
     "request_headers": {"content-type": "...", "content-encoding": "gzip", "idempotency-key": "..."},
     "authorization_present": true, "signature_present": true,
     "request_body_text": "...",                      # gunzipped when Content-Encoding: gzip; absent if empty
     "action": "pass", "rule": null,
     "answered_by": "upstream",                       # "upstream", "proxy" (a status rule, a 502) or null
     "status": 200,                                   # what the client got; null after reset or drop
     "upstream_status": 200,                          # what the upstream answered, if it was asked
     "response_content_type": "application/json", "response_body_text": "..."}
Only the three request headers above are kept, each under its lowercase name when sent. The
Authorization and X-Sandbox-Signature values are never written, only whether they were present.
Bodies are kept whole. A body that does not gunzip or is not UTF-8 is written as
"request_body_base64" / "response_body_base64" with "request_body_error" / "response_body_error".
"response_incomplete": true marks an answer the upstream cut off midway (the client got a reset).
A request the proxy cannot parse (its 400) is written with "method": null, "path": null and "error".
"""
import argparse
import base64
import gzip
import http.client
import itertools
import json
import select
import signal
import socket
import ssl
import struct
import sys
import threading
import time
import urllib.parse
import zlib
from datetime import datetime, timezone

MAX_LINE = 65536          # a request line or header line longer than this is a 400
MAX_HEADERS = 200
READ_PIECE = 1 << 20      # never ask the buffered reader for a huge block in one go
HANDSHAKE_TIMEOUT = 10.0  # a TLS client that never finishes its handshake must not pin a thread

ACTIONS = {"pass", "status", "delay", "reset", "reset_after_forward", "drop_connection_before"}

# Hop-by-hop headers describe one connection, not the message, so they are never copied across.
# Expect is here because the proxy answers 100-continue itself and sends upstream a whole body.
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
              "upgrade", "expect", "proxy-authorization", "proxy-authenticate"}


class ClientGone(Exception):
    """The client closed or broke its connection in the middle of a request."""


class BadRequest(Exception):
    """The client sent something that is not HTTP/1.1 we understand; it gets a 400 and a close."""


class Request:
    def __init__(self, method, target, version, headers):
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers  # [(name, value)] in the client's order and spelling
        self.body = b""
        self.has_body = False   # a framed empty body (Content-Length: 0) still gets Content-Length

    def values(self, name):
        name = name.lower()
        return [v for n, v in self.headers if n.lower() == name]

    def connection_tokens(self):
        return {t.strip().lower() for v in self.values("connection") for t in v.split(",") if t.strip()}

    def wants_keep_alive(self):
        # HTTP/1.0 clients are simply closed after one exchange: not worth the Keep-Alive dance.
        return self.version == "HTTP/1.1" and "close" not in self.connection_tokens()


# ---------------------------------------------------------------------------------------------
# Reading requests from the client


def read_line(rfile, eof_ok=False):
    line = rfile.readline(MAX_LINE + 1)
    if len(line) > MAX_LINE:
        raise BadRequest("line too long")
    if not line.endswith(b"\n"):
        if not line and eof_ok:
            return b""
        raise ClientGone("connection closed inside a line")
    return line


def read_exact(rfile, n):
    pieces = []
    while n > 0:
        piece = rfile.read(min(n, READ_PIECE))
        if not piece:
            raise ClientGone("connection closed inside a body")
        pieces.append(piece)
        n -= len(piece)
    return b"".join(pieces)


def read_chunked(rfile):
    pieces = []
    while True:
        size_field = read_line(rfile).split(b";", 1)[0].strip()
        try:
            size = int(size_field, 16)
        except ValueError:
            raise BadRequest("bad chunk size %r" % size_field) from None
        if size < 0:
            raise BadRequest("negative chunk size")
        if size == 0:
            # Trailers are dropped: the body is forwarded with Content-Length, which has none.
            while read_line(rfile) not in (b"\r\n", b"\n"):
                pass
            return b"".join(pieces)
        pieces.append(read_exact(rfile, size))
        if read_line(rfile) not in (b"\r\n", b"\n"):
            raise BadRequest("chunk not followed by CRLF")


def read_request(rfile, send):
    """The next request with its whole body, or None if the client closed between requests."""
    line = read_line(rfile, eof_ok=True)
    while line in (b"\r\n", b"\n"):  # RFC 9112 2.2: tolerate stray CRLFs between requests
        line = read_line(rfile, eof_ok=True)
    if not line:
        return None
    parts = line.decode("latin-1").rstrip("\r\n").split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise BadRequest("bad request line %r" % line[:200])
    method, target, version = parts
    if target.startswith(("http://", "https://")):
        # Absolute-form (client configured us as a forward proxy): keep only the origin-form part.
        rest = target.split("://", 1)[1]
        target = "/" + rest.split("/", 1)[1] if "/" in rest else "/"

    headers = []
    while True:
        line = read_line(rfile)
        if line in (b"\r\n", b"\n"):
            break
        if line[:1] in (b" ", b"\t"):
            raise BadRequest("obsolete header folding")
        name, sep, value = line.decode("latin-1").partition(":")
        if not sep or not name or name != name.strip():
            raise BadRequest("bad header line %r" % line[:200])
        headers.append((name, value.strip()))
        if len(headers) > MAX_HEADERS:
            raise BadRequest("too many headers")
    req = Request(method, target, version, headers)

    codings = [c.strip().lower() for v in req.values("transfer-encoding") for c in v.split(",") if c.strip()]
    lengths = {v.strip() for v in req.values("content-length")}
    if codings:
        if codings != ["chunked"]:
            raise BadRequest("unsupported transfer coding %r" % codings)
        body_reader = lambda: read_chunked(rfile)
    elif lengths:
        if len(lengths) != 1 or not next(iter(lengths)).isdigit():
            raise BadRequest("bad Content-Length %r" % sorted(lengths))
        length = int(next(iter(lengths)))
        body_reader = lambda: read_exact(rfile, length)
    else:
        return req

    # The client may be waiting for our go-ahead before it sends the body (curl does this for big
    # POSTs); the body is always read before any fault so the connection stays in sync.
    if any(v.lower() == "100-continue" for v in req.values("expect")) and version == "HTTP/1.1":
        send(b"HTTP/1.1 100 Continue\r\n\r\n")
    req.body = body_reader()
    req.has_body = True
    return req


# ---------------------------------------------------------------------------------------------
# Control file


class Control:
    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()
        self.content = None
        self.rules = []
        self.used = {}

    def _parse(self, data):
        if not data.strip():
            return []
        try:
            doc = json.loads(data)
        except ValueError as e:
            warn("control file is not JSON (%s): passing everything" % e)
            return []
        rules = doc.get("rules") if isinstance(doc, dict) else None
        if not isinstance(rules, list):
            warn('control file has no "rules" list: passing everything')
            return []
        valid = []
        for index, rule in enumerate(rules):
            problem = None
            if not isinstance(rule, dict):
                problem = "not an object"
            elif rule.get("action", "pass") not in ACTIONS:
                problem = "unknown action %r" % rule.get("action")
            elif "count" in rule and (type(rule["count"]) is not int or rule["count"] < 0):
                problem = "count must be a non-negative integer"
            elif not isinstance(rule.get("path_prefix", ""), str):
                problem = "path_prefix must be a string"
            elif not isinstance(rule.get("seconds", 0), (int, float)):
                problem = "seconds must be a number"
            elif type(rule.get("status", 503)) is not int or not 200 <= rule.get("status", 503) <= 599:
                problem = "status must be an integer from 200 to 599"
            elif not isinstance(rule.get("headers", {}), dict):
                problem = "headers must be an object"
            if problem:
                warn("control rule %d ignored: %s" % (index, problem))
            else:
                valid.append((index, rule))
        return valid

    def choose(self, method, target):
        """(rule index or None, rule) for this request; consumes one use of the rule."""
        try:
            with open(self.path, "rb") as f:
                data = f.read()
        except OSError:
            data = b""
        with self.lock:
            if data != self.content:
                # New content means a new scenario: counts from the old one must not leak into it.
                self.content, self.rules, self.used = data, self._parse(data), {}
            for index, rule in self.rules:
                if not target.startswith(rule.get("path_prefix", "")):
                    continue
                if rule.get("method") and str(rule["method"]).upper() != method.upper():
                    continue
                used = self.used.get(index, 0)
                if "count" in rule and used >= rule["count"]:
                    continue
                self.used[index] = used + 1
                return index, rule
        return None, {"action": "pass"}


# ---------------------------------------------------------------------------------------------
# Upstream side


class Upstream:
    """The upstream connection belonging to one client connection."""

    def __init__(self, host, port, timeout):
        self.host, self.port, self.timeout = host, port, timeout
        self.conn = None

    def _ready_connection(self):
        conn = self.conn
        if conn is not None and conn.sock is not None:
            # An idle keep-alive socket that is readable has been closed by the server (idle
            # timeout). Sending a POST on it would fail in a way we could not safely retry, so
            # notice it now and reconnect instead.
            readable, _, _ = select.select([conn.sock], [], [], 0)
            if readable:
                conn.close()
        if conn is None:
            conn = self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return conn  # http.client reconnects by itself when its socket is closed

    def send(self, req):
        conn = self._ready_connection()
        try:
            # Host and the body are passed through untouched: the regulator may check signatures.
            conn.putrequest(req.method, req.target, skip_host=True, skip_accept_encoding=True)
            dropped = HOP_BY_HOP | req.connection_tokens() | {"content-length"}
            for name, value in req.headers:
                if name.lower() not in dropped:
                    conn.putheader(name, value)
            if req.has_body:
                conn.putheader("Content-Length", str(len(req.body)))
            conn.endheaders(req.body if req.body else None)
            return conn.getresponse()
        except BaseException:
            self.discard()
            raise

    def discard(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


# ---------------------------------------------------------------------------------------------
# Writing to the client


def head_bytes(status, reason, headers):
    lines = ["HTTP/1.1 %d %s" % (status, reason)] + ["%s: %s" % (n, v) for n, v in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def canned_response(rule, req, keep_alive):
    status = int(rule.get("status", 503))
    body = rule.get("body", "")
    content_type = "text/plain; charset=utf-8"
    if not isinstance(body, str):
        body, content_type = json.dumps(body), "application/json"
    body = body.encode("utf-8")
    # Framing is ours to decide, whatever the rule says.
    headers = [(str(n), str(v)) for n, v in (rule.get("headers") or {}).items()
               if str(n).lower() not in HOP_BY_HOP | {"content-length"}]
    if body and not any(n.lower() == "content-type" for n, _ in headers):
        headers.append(("Content-Type", content_type))
    bodiless = req.method == "HEAD" or status in (204, 304)
    if status != 204:
        headers.append(("Content-Length", str(len(body))))
    if not keep_alive:
        headers.append(("Connection", "close"))
    reason = http.client.responses.get(status, "Fault")
    return head_bytes(status, reason, headers) + (b"" if bodiless else body)


def relay_response(sock, resp, req, keep_alive, before_end=None):
    """Streams the upstream answer to the client; returns whether the client connection lives on.

    before_end, if given, is called with the whole body (bytes) once it has been read from the
    upstream but before the client can tell the answer is complete (before the last body byte,
    the chunked terminator, or, for a bodiless answer, the head itself)."""
    bodiless = req.method == "HEAD" or resp.status in (204, 304) or 100 <= resp.status < 200
    headers = [(n, v) for n, v in resp.getheaders() if n.lower() not in HOP_BY_HOP]
    if bodiless:
        mode = "none"  # Content-Length (if any) describes the GET body that is not sent: keep it
    else:
        headers = [(n, v) for n, v in headers if n.lower() != "content-length"]
        if resp.length is not None:
            mode = "length"
            headers.append(("Content-Length", str(resp.length)))
        elif req.version == "HTTP/1.1":
            mode = "chunked"  # chunked upstream, or close-delimited: both become chunked
            headers.append(("Transfer-Encoding", "chunked"))
        else:
            mode, keep_alive = "close", False
    if not keep_alive:
        headers.append(("Connection", "close"))
    pieces = [] if before_end is not None else None

    def end():
        if before_end is not None:
            before_end(b"".join(pieces))

    if mode == "none" or (mode == "length" and resp.length == 0):
        end()  # the head is the whole answer
    sock.sendall(head_bytes(resp.status, resp.reason, headers))
    if mode == "none":
        resp.close()
        return keep_alive
    while True:
        # read1 returns whatever has arrived, so a slowly streamed answer stays streamed.
        piece = resp.read1(65536)
        if not piece:
            break
        if pieces is not None:
            pieces.append(piece)
            if mode == "length" and resp.length == 0:
                end()  # the last piece: the client knows the answer is complete once it has it
        sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if mode == "chunked" else piece)
    if mode == "length" and resp.length:
        # read1 reports an upstream that died mid-body as a plain end of data.
        raise http.client.IncompleteRead(b"", resp.length)
    if mode in ("chunked", "close"):
        end()
    if mode == "chunked":
        sock.sendall(b"0\r\n\r\n")
    resp.close()  # http.client refuses the next request on this connection until this is closed
    return keep_alive


def abort(sock, rfile):
    """Closes with SO_LINGER 0, which makes the kernel send a TCP RST instead of a FIN."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    rfile.close()  # the socket's fd is only released once its file objects are closed too
    sock.close()


def close_gracefully(sock, rfile):
    try:
        sock.shutdown(socket.SHUT_WR)  # FIN now, before close() can turn unread input into a RST
    except OSError:
        pass
    rfile.close()
    sock.close()


# ---------------------------------------------------------------------------------------------
# Capture (--capture): what was said, for contract checks


CAPTURED_REQUEST_HEADERS = ("content-type", "content-encoding", "idempotency-key")


def header_value(headers, name):
    """The value of a header in a [(name, value)] list (repeated ones joined by ", "), or None."""
    values = [v for n, v in headers if n.lower() == name]
    return ", ".join(values) if values else None


def decoded_body(body, content_encoding, prefix):
    """{prefix_text: ...}, {} for no body, or base64 plus an error when it is not (gzip) UTF-8."""
    if not body:
        return {}
    data = body
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    try:
        for coding in reversed(codings):
            if coding in ("gzip", "x-gzip"):
                # Concatenated members are one body too, as gzip(1) and zlib's inflate read it.
                data = gzip.decompress(data)
            elif coding == "deflate":
                data = zlib.decompress(data)
            elif coding != "identity":
                raise ValueError("content coding %r not decoded" % coding)
    except (OSError, EOFError, ValueError, zlib.error) as e:
        return {prefix + "_base64": base64.b64encode(body).decode("ascii"),
                prefix + "_error": "cannot decode %s body: %s" % (content_encoding, e)}
    try:
        return {prefix + "_text": data.decode("utf-8")}
    except UnicodeDecodeError as e:
        return {prefix + "_base64": base64.b64encode(data).decode("ascii"),
                prefix + "_error": "body is not UTF-8: %s" % e}


def request_capture(req):
    path, _, query = req.target.partition("?")
    entry = {"method": req.method, "path": path,
             "query": urllib.parse.parse_qs(query, keep_blank_values=True),
             "request_headers": {}}
    for name in CAPTURED_REQUEST_HEADERS:
        value = header_value(req.headers, name)
        if value is not None:
            entry["request_headers"][name] = value
    # Presence only: these values are secrets (the token) or derived from one (the signature).
    entry["authorization_present"] = bool(req.values("authorization"))
    entry["signature_present"] = bool(req.values("x-sandbox-signature"))
    entry.update(decoded_body(req.body, header_value(req.headers, "content-encoding"), "request_body"))
    return entry


def response_capture(headers, body):
    entry = {"response_content_type": header_value(headers, "content-type")}
    entry.update(decoded_body(body, header_value(headers, "content-encoding"), "response_body"))
    return entry


def split_canned(data):
    """(headers, body) of a canned_response() byte string."""
    head, _, body = data.partition(b"\r\n\r\n")
    headers = []
    for line in head.decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        headers.append((name, value.strip()))
    return headers, body


# ---------------------------------------------------------------------------------------------
# Proxy


class Proxy:
    def __init__(self, args):
        host, _, port = args.upstream.rpartition(":")
        self.upstream_addr = (host or "127.0.0.1", int(port))
        self.upstream_timeout = args.upstream_timeout
        self.control = Control(args.control_file)
        self.log_file = open(args.log, "a", encoding="utf-8") if args.log else None
        self.log_lock = threading.Lock()
        self.capture_file = open(args.capture, "a", encoding="utf-8") if args.capture else None
        self.capture_lock = threading.Lock()
        self.tls = None
        if args.tls_cert:
            self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.tls.load_cert_chain(args.tls_cert, args.tls_key)
            self.tls.set_alpn_protocols(["http/1.1"])  # we only speak HTTP/1.1; never let curl pick h2
        self.ids = itertools.count(1)
        self.clients = set()  # raw sockets, so SIGTERM can unblock their threads
        self.clients_lock = threading.Lock()

    def log(self, **fields):
        if self.log_file is None:
            return
        now = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        line = json.dumps({"time": now, **fields}, ensure_ascii=False)
        with self.log_lock:
            if not self.log_file.closed:
                self.log_file.write(line + "\n")
                self.log_file.flush()

    def capture(self, entry, req, **outcome):
        """Appends one exchange to the --capture file: req's side, then the outcome fields."""
        if self.capture_file is None:
            return
        now = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        fields = {"time": now, "conn": entry["conn"], "seq": entry["seq"]}
        fields.update(request_capture(req))
        fields.update(action=entry["action"], rule=entry["rule"], answered_by=None, status=None,
                      upstream_status=entry.get("upstream_status"))
        if "error" in entry:
            fields["error"] = entry["error"]
        fields.update(outcome)
        line = json.dumps(fields, ensure_ascii=False)
        with self.capture_lock:
            if not self.capture_file.closed:
                self.capture_file.write(line + "\n")
                self.capture_file.flush()

    def capture_canned(self, entry, req, answer):
        if self.capture_file is not None:
            headers, body = split_canned(answer)
            status = int(answer.split(b" ", 2)[1])
            if req.method == "HEAD":
                body = b""
            self.capture(entry, req, answered_by="proxy", status=status, **response_capture(headers, body))

    def serve(self, listener, stop):
        listener.settimeout(0.2)  # so the loop notices `stop` without help from the signal handler
        while not stop.is_set():
            try:
                sock, _ = listener.accept()
            except socket.timeout:
                continue
            except OSError:
                if stop.is_set():
                    break
                raise
            sock.settimeout(None)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn_id = next(self.ids)
            with self.clients_lock:
                self.clients.add(sock)
            threading.Thread(target=self.client_thread, args=(sock, conn_id),
                             name="client-%d" % conn_id, daemon=True).start()

    def shutdown(self):
        with self.clients_lock:
            clients = list(self.clients)
        for sock in clients:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        with self.log_lock:
            if self.log_file is not None:
                self.log_file.close()
        with self.capture_lock:
            if self.capture_file is not None:
                self.capture_file.close()

    def client_thread(self, raw, conn_id):
        sock, rfile, upstream = raw, None, None
        try:
            if self.tls is not None:
                raw.settimeout(HANDSHAKE_TIMEOUT)
                sock = self.tls.wrap_socket(raw, server_side=True)  # takes over raw's fd
                sock.settimeout(None)
                with self.clients_lock:
                    self.clients.discard(raw)
                    self.clients.add(sock)
            rfile = sock.makefile("rb")
            upstream = Upstream(*self.upstream_addr, self.upstream_timeout)
            self.handle_requests(conn_id, sock, rfile, upstream)
        except (OSError, ClientGone, http.client.HTTPException):
            # The client went away (or the TLS handshake failed, or a response could not be
            # completed): there is nobody left to answer, and that is a normal test scenario.
            pass
        except Exception as e:  # a bug here must cost one connection, never the whole proxy
            warn("connection %d: unexpected %r" % (conn_id, e))
        finally:
            if upstream is not None:
                upstream.discard()
            for closable in (rfile, sock, raw):
                try:
                    if closable is not None:
                        closable.close()
                except OSError:
                    pass
            with self.clients_lock:
                self.clients.discard(raw)
                self.clients.discard(sock)

    def handle_requests(self, conn_id, sock, rfile, upstream):
        for seq in itertools.count(1):
            try:
                req = read_request(rfile, sock.sendall)
            except BadRequest as e:
                self.log(conn=conn_id, seq=seq, method=None, path=None, bytes=0, action="bad_request",
                         rule=None, upstream_status=None, error=str(e))
                answer = canned_response({"status": 400, "body": str(e) + "\n"},
                                         Request("GET", "/", "HTTP/1.1", []), keep_alive=False)
                if self.capture_file is not None:
                    headers, body = split_canned(answer)
                    entry = dict(conn=conn_id, seq=seq, action="bad_request", rule=None, error=str(e))
                    self.capture(entry, Request("GET", "/", "HTTP/1.1", []), method=None, path=None, query={},
                                 answered_by="proxy", status=400, **response_capture(headers, body))
                sock.sendall(answer)
                close_gracefully(sock, rfile)
                return
            if req is None:
                return
            keep_alive = req.wants_keep_alive()
            index, rule = self.control.choose(req.method, req.target)
            action = rule.get("action", "pass")
            entry = dict(conn=conn_id, seq=seq, method=req.method, path=req.target, bytes=len(req.body),
                         action=action, rule=index, upstream_status=None)
            if rule.get("seconds"):
                time.sleep(float(rule["seconds"]))

            if action == "status":
                keep_alive = keep_alive and not rule.get("close")
                self.log(**entry)
                answer = canned_response(rule, req, keep_alive)
                self.capture_canned(entry, req, answer)
                sock.sendall(answer)
                if not keep_alive:
                    close_gracefully(sock, rfile)
                    return
                continue
            if action == "reset":
                self.log(**entry)
                self.capture(entry, req)
                abort(sock, rfile)
                return
            if action == "drop_connection_before":
                self.log(**entry)
                self.capture(entry, req)
                close_gracefully(sock, rfile)
                return

            # pass, delay and reset_after_forward all go to the upstream.
            try:
                resp = upstream.send(req)
            except (OSError, ValueError, http.client.HTTPException) as e:
                # ValueError: http.client refused the target or a header (e.g. non-ASCII bytes).
                entry["error"] = "upstream: %r" % e
                self.log(**entry)
                answer = canned_response({"status": 502, "body": "fault_proxy: %r\n" % e}, req, keep_alive)
                self.capture_canned(entry, req, answer)
                sock.sendall(answer)
                if not keep_alive:
                    close_gracefully(sock, rfile)
                    return
                continue
            entry["upstream_status"] = resp.status

            if action == "reset_after_forward":
                try:
                    resp.read()  # the regulator must have finished applying it before we cut
                except (OSError, http.client.HTTPException) as e:
                    entry["error"] = "upstream: %r" % e
                    upstream.discard()
                self.log(**entry)
                self.capture(entry, req)
                abort(sock, rfile)
                return

            self.log(**entry)
            captured = []

            def before_end(body):
                captured.append(True)
                self.capture(entry, req, answered_by="upstream", status=resp.status,
                             **response_capture(resp.getheaders(), body))

            try:
                keep_alive = relay_response(sock, resp, req, keep_alive,
                                            before_end if self.capture_file is not None else None)
            except (http.client.HTTPException, socket.timeout, ConnectionError) as e:
                # Whichever side failed, the client has a half-relayed answer with framing we can
                # no longer honour; cutting the connection is the only truthful thing left.
                if not captured:
                    self.capture(entry, req, answered_by="upstream", status=resp.status,
                                 response_incomplete=True, error="answer cut off: %r" % e,
                                 response_content_type=resp.getheader("Content-Type"))
                upstream.discard()
                abort(sock, rfile)
                return
            if resp.will_close:
                upstream.discard()
            if not keep_alive:
                close_gracefully(sock, rfile)
                return


def warn(message):
    print("fault_proxy: " + message, file=sys.stderr, flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--listen-port", type=int, default=0, help="0 picks a free port")
    p.add_argument("--upstream", required=True, help="HOST:PORT of the plain-HTTP regulator")
    p.add_argument("--control-file", required=True, help="JSON rules, re-read for every request")
    p.add_argument("--tls-cert", help="serve TLS with this certificate chain (PEM)")
    p.add_argument("--tls-key", help="private key for --tls-cert (PEM)")
    p.add_argument("--log", help="append one JSON line per request here")
    p.add_argument("--capture", help="append one JSON line per exchange here: request and answer, "
                                     "bodies decoded, never the token or signature (see above)")
    p.add_argument("--upstream-timeout", type=float, default=120.0,
                   help="seconds to wait on the upstream socket before giving up (502)")
    args = p.parse_args()
    if bool(args.tls_cert) != bool(args.tls_key):
        p.error("--tls-cert and --tls-key go together")

    proxy = Proxy(args)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.listen_port))
    listener.listen(128)

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())

    print("PORT %d" % listener.getsockname()[1], flush=True)
    try:
        proxy.serve(listener, stop)
    finally:
        listener.close()
        proxy.shutdown()
    return 0  # client threads are daemons: the interpreter drops them on the way out


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""End-to-end self-test for fault_proxy.py: `python3 fault_proxy_selftest.py` (exit 0 = all passed).

A tiny HTTP/1.1 upstream (http.server) records every request it receives; fault_proxy.py runs as
a real subprocess in front of it, exactly as the Swift end-to-end tests run it; clients are
http.client or raw sockets (raw where the test is about what happens on the wire: RST vs FIN,
chunked uploads, 100-continue). Each test uses its own path prefix so the upstream record and the
proxy log can be filtered per test. Needs the `openssl` CLI for the TLS test.
"""
import base64
import gzip
import http.client
import json
import os
import select
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
PROXY = os.path.join(HERE, "fault_proxy.py")
TIMEOUT = 10.0


# ---------------------------------------------------------------------------------------------
# Upstream


class Upstream(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), UpstreamHandler)
        self.lock = threading.Lock()
        self.records = []
        self.completed = []  # paths whose answer was fully written
        self.idle_closed = threading.Event()
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def port(self):
        return self.server_address[1]

    def record(self, entry):
        with self.lock:
            self.records.append(entry)

    def seen(self, prefix):
        with self.lock:
            return [r for r in self.records if r["path"].startswith(prefix)]

    def finished(self, prefix):
        with self.lock:
            return [p for p in self.completed if p.startswith(prefix)]

    def handle_error(self, request, client_address):
        pass  # the proxy resetting connections is the point of these tests


class UpstreamHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the Hummingbird regulator
    disable_nagle_algorithm = True  # headers and body are separate writes: avoid 40 ms ACK stalls

    def log_message(self, fmt, *args):
        pass

    def do_HEAD(self):
        self.server.record(self.describe(b""))
        self.send_response(200)
        self.send_header("Content-Length", "5")  # the size the GET would have had
        self.end_headers()

    def do_GET(self):
        self.handle_any()

    do_POST = do_PUT = do_DELETE = do_GET

    def describe(self, body):
        return {"method": self.command, "path": self.path, "body": body,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "port": self.client_address[1]}

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        # Recorded before answering: once the proxy has the answer, the record exists.
        self.server.record(self.describe(body))
        if "/chunked" in self.path:
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for piece in (b"alpha-", b"beta-", b"gamma"):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
            return
        if "/nocontent" in self.path:
            self.send_response(204)
            self.end_headers()
            return
        if "/gzipanswer" in self.path:
            answer = gzip.compress('{"zipped": "答"}'.encode())
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)
            return
        # errors="replace": test_capture sends gzip and Latin-1 bodies through.
        answer = json.dumps({"method": self.command, "path": self.path, "body": body.decode(errors="replace")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        if "/close" in self.path:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if "/slowbody" in self.path:
            self.wfile.flush()
            time.sleep(0.3)  # the head is out long before the body: a proxy must wait for both
        with self.server.lock:
            self.server.completed.append(self.path)  # before the body, so no client can outrun it
        self.wfile.write(answer)
        self.wfile.flush()
        if "/idle-close" in self.path:
            # Like a server's idle timeout: the keep-alive connection goes away with no announcement.
            _quiet(self.connection.shutdown, socket.SHUT_RDWR)
            self.server.idle_closed.set()


def _quiet(fn, *args):
    try:
        fn(*args)
    except OSError:
        pass


# ---------------------------------------------------------------------------------------------
# Proxy process


class ProxyProcess:
    def __init__(self, workdir, name, upstream_port, tls=None, capture=False):
        self.control = os.path.join(workdir, name + ".control.json")
        self.log = os.path.join(workdir, name + ".log")
        self.capture = os.path.join(workdir, name + ".capture.jsonl") if capture else None
        self.stderr_path = os.path.join(workdir, name + ".stderr")
        self.generation = 0
        cmd = [sys.executable, PROXY, "--listen-port", "0", "--upstream", "127.0.0.1:%d" % upstream_port,
               "--control-file", self.control, "--log", self.log]
        if tls:
            cmd += ["--tls-cert", tls[0], "--tls-key", tls[1]]
        if capture:
            cmd += ["--capture", self.capture]
        self.stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.stderr)
        ready, _, _ = select.select([self.proc.stdout], [], [], TIMEOUT)
        line = self.proc.stdout.readline().decode() if ready else ""
        if not line.startswith("PORT "):
            self.stop()
            raise RuntimeError("proxy did not start: %r, stderr: %s" % (line, self.stderr_text()))
        self.port = int(line.split()[1])

    def set_rules(self, rules):
        # A generation number makes every write a content change (so counts restart), and the
        # rename makes it atomic (the proxy never reads half a file).
        self.generation += 1
        tmp = self.control + ".tmp"
        with open(tmp, "w") as f:
            json.dump({"generation": self.generation, "rules": rules}, f)
        os.replace(tmp, self.control)

    def write_raw(self, data):
        tmp = self.control + ".tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, self.control)

    def entries(self, prefix):
        try:
            with open(self.log) as f:
                lines = [json.loads(line) for line in f if line.strip()]
        except FileNotFoundError:
            return []
        return [e for e in lines if (e.get("path") or "").startswith(prefix)]

    def captured(self):
        try:
            with open(self.capture) as f:
                return [json.loads(line) for line in f if line.strip()]
        except FileNotFoundError:
            return []

    def stderr_text(self):
        with open(self.stderr_path, "rb") as f:
            return f.read().decode(errors="replace")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        self.stderr.close()


# ---------------------------------------------------------------------------------------------
# Client helpers


def connect(port, tls=None):
    sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    if tls is not None:
        sock = tls.wrap_socket(sock, server_hostname="127.0.0.1")
    return sock


def read_response(sock, method="GET"):
    resp = http.client.HTTPResponse(sock, method=method)
    resp.begin()
    return resp, resp.read()


def expect_reset(sock):
    """The next read must fail with ECONNRESET (an RST), not see data or a clean EOF."""
    try:
        data = sock.recv(65536)
    except ConnectionResetError:
        return
    raise AssertionError("expected a TCP reset, got %r" % (data[:80] or "a clean close (FIN)"))


def expect_connection_error(fn):
    try:
        fn()
    except (OSError, http.client.HTTPException) as e:
        return e
    raise AssertionError("expected a connection error, got an answer")


def request(conn, method, path, body=None, headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    resp = conn.getresponse()
    return resp, resp.read()


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def post_bytes(path, body, extra=""):
    return ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n%s\r\n"
            % (path, len(body), extra)).encode() + body


# ---------------------------------------------------------------------------------------------
# Tests (each gets the shared context: ctx.up, ctx.proxy, ctx.workdir)


def test_keep_alive_pass(ctx):
    conn = http.client.HTTPConnection("127.0.0.1", ctx.proxy.port, timeout=TIMEOUT)
    first_sock = None
    for i in range(6):
        method, body = ("POST", b'{"n":%d}' % i) if i % 2 else ("GET", None)
        resp, data = request(conn, method, "/t/keep/%d" % i, body, {"Content-Type": "application/json"})
        check(resp.status == 200, "status %d" % resp.status)
        echoed = json.loads(data)
        check(echoed["path"] == "/t/keep/%d" % i and echoed["body"] == (body or b"").decode(), "echo %r" % echoed)
        first_sock = first_sock or conn.sock
        check(conn.sock is first_sock, "http.client had to reconnect: keep-alive was broken")
    conn.close()
    conns = {e["conn"] for e in ctx.proxy.entries("/t/keep/")}
    check(len(conns) == 1, "proxy saw %d client connections" % len(conns))
    check([e["seq"] for e in ctx.proxy.entries("/t/keep/")] == [1, 2, 3, 4, 5, 6], "seq numbers")
    seen = ctx.up.seen("/t/keep/")
    check(len(seen) == 6 and len({r["port"] for r in seen}) == 1, "upstream did not get 6 requests on one connection")
    check(seen[1]["body"] == b'{"n":1}' and seen[1]["headers"].get("content-type") == "application/json",
          "upstream got a different request")


def test_chunked_request_body(ctx):
    sock = connect(ctx.proxy.port)
    sock.sendall(b"POST /t/chunkreq HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                 b"6;ext=1\r\nhello \r\n5\r\nworld\r\n0\r\nX-Trailer: y\r\n\r\n")
    resp, data = read_response(sock)
    check(resp.status == 200 and json.loads(data)["body"] == "hello world", "answer %r" % data)
    sock.sendall(b"GET /t/chunkreq/2 HTTP/1.1\r\nHost: x\r\n\r\n")  # same connection still in sync
    resp, _ = read_response(sock)
    check(resp.status == 200, "second request on the connection failed")
    sock.close()
    seen = ctx.up.seen("/t/chunkreq")
    check(seen[0]["body"] == b"hello world", "upstream body %r" % seen[0]["body"])
    check(seen[0]["headers"].get("content-length") == "11" and "transfer-encoding" not in seen[0]["headers"],
          "not re-framed: %r" % seen[0]["headers"])


def test_response_framing(ctx):
    conn = http.client.HTTPConnection("127.0.0.1", ctx.proxy.port, timeout=TIMEOUT)
    resp, data = request(conn, "GET", "/t/frame/chunked")
    check(resp.status == 200 and data == b"alpha-beta-gamma", "chunked answer %r" % data)
    sock = conn.sock
    resp, data = request(conn, "HEAD", "/t/frame/head")
    check(resp.status == 200 and data == b"" and resp.getheader("Content-Length") == "5", "HEAD framing")
    resp, data = request(conn, "DELETE", "/t/frame/nocontent")
    check(resp.status == 204 and data == b"", "204 framing")
    resp, data = request(conn, "GET", "/t/frame/plain")
    check(resp.status == 200 and json.loads(data)["path"] == "/t/frame/plain", "after HEAD/204")
    check(conn.sock is sock, "connection not kept across chunked/HEAD/204 answers")
    conn.close()


def test_status(ctx):
    ctx.proxy.set_rules([{"path_prefix": "/t/status/feeds", "action": "status", "status": 503,
                          "headers": {"Retry-After": "1"}, "body": "busy", "count": 2}])
    conn = http.client.HTTPConnection("127.0.0.1", ctx.proxy.port, timeout=TIMEOUT)
    for i in range(2):
        resp, data = request(conn, "POST", "/t/status/feeds", b"x%d" % i)
        check(resp.status == 503 and data == b"busy" and resp.getheader("Retry-After") == "1",
              "fault %d: %d %r" % (i, resp.status, data))
    sock = conn.sock
    resp, data = request(conn, "GET", "/t/status/other")
    check(resp.status == 200, "non-matching path was faulted")
    resp, data = request(conn, "POST", "/t/status/feeds", b"x2")
    check(resp.status == 200, "count 2 not honoured: %d" % resp.status)
    check(conn.sock is sock, "503 answers broke keep-alive")
    conn.close()
    check([r["body"] for r in ctx.up.seen("/t/status/feeds")] == [b"x2"], "upstream saw faulted requests")
    check([e["action"] for e in ctx.proxy.entries("/t/status/feeds")] == ["status", "status", "pass"], "log actions")
    ctx.proxy.set_rules([{"action": "status", "status": 429, "body": {"error": "slow down"}}])
    resp, data = request(http.client.HTTPConnection("127.0.0.1", ctx.proxy.port, timeout=TIMEOUT),
                         "GET", "/t/status/json")
    check(resp.status == 429 and json.loads(data) == {"error": "slow down"}
          and resp.getheader("Content-Type") == "application/json", "JSON body / catch-all rule")


def test_delay(ctx):
    ctx.proxy.set_rules([{"path_prefix": "/t/delay", "action": "delay", "seconds": 0.6}])
    conn = http.client.HTTPConnection("127.0.0.1", ctx.proxy.port, timeout=TIMEOUT)
    started = time.monotonic()
    resp, data = request(conn, "POST", "/t/delay", b"slow")
    elapsed = time.monotonic() - started
    check(resp.status == 200 and json.loads(data)["body"] == "slow", "delayed answer")
    check(elapsed >= 0.6, "answered after %.2fs" % elapsed)
    conn.close()


def test_reset(ctx):
    ctx.proxy.set_rules([{"path_prefix": "/t/reset", "action": "reset", "count": 1}])
    sock = connect(ctx.proxy.port)
    sock.sendall(post_bytes("/t/reset", b"payload"))
    expect_reset(sock)
    sock.close()
    check(ctx.up.seen("/t/reset") == [], "upstream saw a request that was reset before forwarding")
    conn = http.client.HTTPConnection("127.0.0.1", ctx.proxy.port, timeout=TIMEOUT)
    resp, _ = request(conn, "POST", "/t/reset", b"again")  # count used up: passes now
    check(resp.status == 200, "second request after count 1")
    conn.close()
    check([e["action"] for e in ctx.proxy.entries("/t/reset")] == ["reset", "pass"], "log actions")


def test_reset_after_forward(ctx):
    ctx.proxy.set_rules([{"path_prefix": "/t/raf", "method": "POST", "action": "reset_after_forward"}])
    sock = connect(ctx.proxy.port)
    sock.sendall(b"GET /t/raf/get HTTP/1.1\r\nHost: x\r\n\r\n")  # method filter: GET passes
    resp, _ = read_response(sock)
    check(resp.status == 200, "GET was faulted despite method POST")
    sock.sendall(post_bytes("/t/raf/feeds", b'{"batch":"b-42"}'))
    expect_reset(sock)
    sock.close()
    seen = [r for r in ctx.up.seen("/t/raf/feeds")]
    check(len(seen) == 1 and seen[0]["body"] == b'{"batch":"b-42"}', "upstream did not apply it once: %r" % seen)
    e = ctx.proxy.entries("/t/raf/feeds")[-1]
    check(e["action"] == "reset_after_forward" and e["upstream_status"] == 200, "log %r" % e)
    # http.client's view (what an HTTP client library sees): an error, not an answer.
    conn = http.client.HTTPConnection("127.0.0.1", ctx.proxy.port, timeout=TIMEOUT)
    expect_connection_error(lambda: request(conn, "POST", "/t/raf/feeds", b"again"))
    conn.close()
    check(len(ctx.up.seen("/t/raf/feeds")) == 2, "second POST not applied upstream")
    # The reset must come only after the whole answer, not as soon as the status line is in.
    sock = connect(ctx.proxy.port)
    sock.sendall(post_bytes("/t/raf/slowbody", b"slow"))
    expect_reset(sock)
    sock.close()
    check(ctx.up.finished("/t/raf/slowbody") == ["/t/raf/slowbody"], "reset before the answer was complete")


def test_drop_connection_before(ctx):
    ctx.proxy.set_rules([{"path_prefix": "/t/drop", "action": "drop_connection_before"}])
    sock = connect(ctx.proxy.port)
    sock.sendall(post_bytes("/t/drop", b"payload"))
    try:
        data = sock.recv(65536)
    except ConnectionResetError:
        raise AssertionError("expected a clean close (FIN), got a reset") from None
    check(data == b"", "expected no answer, got %r" % data[:80])
    sock.close()
    check(ctx.up.seen("/t/drop") == [], "upstream saw a dropped request")


def test_control_file_changes(ctx):
    conn = http.client.HTTPConnection("127.0.0.1", ctx.proxy.port, timeout=TIMEOUT)

    def status():
        resp, _ = request(conn, "GET", "/t/ctl/x")
        return resp.status

    ctx.proxy.write_raw(b"")
    check(status() == 200, "empty file must pass")
    sock = conn.sock
    ctx.proxy.set_rules([{"path_prefix": "/t/ctl", "action": "status", "status": 500}])
    check(status() == 500 and status() == 500, "new rule not picked up / unlimited count")
    ctx.proxy.set_rules([{"path_prefix": "/t/ctl", "action": "status", "status": 503, "count": 1}])
    check([status(), status()] == [503, 200], "count 1")
    ctx.proxy.set_rules([{"path_prefix": "/t/ctl", "action": "status", "status": 503, "count": 1}])
    check([status(), status()] == [503, 200], "counts must restart when the file content changes")
    ctx.proxy.set_rules([{"path_prefix": "/nope", "action": "status", "status": 500},
                         {"path_prefix": "/t/ctl", "action": "bogus"},
                         {"path_prefix": "/t/ctl", "action": "status", "status": "500"},
                         {"path_prefix": "/t/ctl", "action": "status", "status": 500, "headers": ["x"]},
                         {"path_prefix": "/t/ctl", "action": "status", "status": 500, "count": -1},
                         {"path_prefix": "/t/ctl", "action": "status", "status": 418, "count": 1},
                         {"path_prefix": "/t/ctl", "action": "status", "status": 409}])
    check([status(), status()] == [418, 409], "first matching rule with count left, invalid rule skipped")
    ctx.proxy.write_raw(b"{not json")
    check(status() == 200, "unparseable file must pass")
    ctx.proxy.write_raw(b'{"rules": "nope"}')
    check(status() == 200, "file without a rules list must pass")
    os.remove(ctx.proxy.control)
    check(status() == 200, "missing file must pass")
    check(conn.sock is sock, "keep-alive broken across control changes")
    conn.close()
    check(ctx.proxy.proc.poll() is None, "proxy died on a bad control file")


def test_client_gives_up_mid_request(ctx):
    # Half a request line, half the headers, half a body, an RST mid-body: none may hurt the proxy.
    for data, rst in ((b"GET /t/gone HT", False), (b"POST /t/gone HTTP/1.1\r\nHost: x\r\nContent-Le", False),
                      (post_bytes("/t/gone", b"0123456789")[:-5], False),
                      (post_bytes("/t/gone", b"0123456789")[:-5], True),
                      (b"6\r\nhello", False)):
        sock = connect(ctx.proxy.port)
        sock.sendall(data)
        time.sleep(0.05)
        if rst:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
    sock = connect(ctx.proxy.port)
    sock.sendall(b"GARBAGE\r\n\r\n")
    resp, _ = read_response(sock)
    check(resp.status == 400, "malformed request line: %d" % resp.status)
    sock.close()
    time.sleep(0.2)
    check(ctx.proxy.proc.poll() is None, "proxy died")
    resp, _ = request(http.client.HTTPConnection("127.0.0.1", ctx.proxy.port, timeout=TIMEOUT), "GET", "/t/gone/ok")
    check(resp.status == 200, "proxy unusable after abandoned requests")
    check(ctx.up.seen("/t/gone") == [ctx.up.seen("/t/gone/ok")[0]], "incomplete requests were forwarded")
    check("Traceback" not in ctx.proxy.stderr_text(), "traceback on stderr")


def test_expect_100_continue(ctx):
    sock = connect(ctx.proxy.port)
    body = b"x" * 5000
    sock.sendall(b"POST /t/expect HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n" % len(body))
    interim = b""
    while not interim.endswith(b"\r\n\r\n"):
        piece = sock.recv(1)
        check(piece, "closed before 100 Continue")
        interim += piece
    check(interim.startswith(b"HTTP/1.1 100"), "interim answer %r" % interim)
    sock.sendall(body)
    resp, data = read_response(sock)
    check(resp.status == 200 and len(json.loads(data)["body"]) == 5000, "final answer")
    sock.close()
    check("expect" not in ctx.up.seen("/t/expect")[0]["headers"], "Expect forwarded upstream")


def test_upstream_reconnects(ctx):
    conn = http.client.HTTPConnection("127.0.0.1", ctx.proxy.port, timeout=TIMEOUT)
    check(request(conn, "GET", "/t/upre/close")[0].status == 200, "Connection: close answer")
    check(request(conn, "POST", "/t/upre/after-close", b"1")[0].status == 200, "after upstream close")
    ctx.up.idle_closed.clear()
    check(request(conn, "GET", "/t/upre/idle-close")[0].status == 200, "idle-close answer")
    check(ctx.up.idle_closed.wait(TIMEOUT), "upstream did not close")
    time.sleep(0.2)  # let the proxy's kernel take in the FIN before the next request
    check(request(conn, "POST", "/t/upre/after-idle", b"2")[0].status == 200, "after upstream idle close")
    conn.close()
    seen = ctx.up.seen("/t/upre/")
    check([r["path"] for r in seen] == ["/t/upre/close", "/t/upre/after-close", "/t/upre/idle-close",
                                        "/t/upre/after-idle"], "each request applied exactly once: %r" % seen)
    check(seen[0]["port"] != seen[1]["port"] and seen[2]["port"] != seen[3]["port"], "no reconnect upstream")
    check(len({e["conn"] for e in ctx.proxy.entries("/t/upre/")}) == 1, "client connection not kept")


def test_upstream_down(ctx):
    spare = socket.socket()
    spare.bind(("127.0.0.1", 0))
    dead_port = spare.getsockname()[1]
    spare.close()  # nothing listens there now
    proxy = ProxyProcess(ctx.workdir, "down", dead_port)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=TIMEOUT)
        resp, _ = request(conn, "POST", "/t/down", b"x")
        check(resp.status == 502, "status %d" % resp.status)
        sock = conn.sock
        check(request(conn, "GET", "/t/down")[0].status == 502 and conn.sock is sock, "keep-alive after 502")
        check("error" in proxy.entries("/t/down")[0], "no error in log")
    finally:
        proxy.stop()


def test_tls(ctx):
    ca, cert, key = make_certificates(ctx.workdir)
    proxy = ProxyProcess(ctx.workdir, "tls", ctx.up.port, tls=(cert, key))
    try:
        tls = ssl.create_default_context(cafile=ca)
        conn = http.client.HTTPSConnection("127.0.0.1", proxy.port, timeout=TIMEOUT, context=tls)
        first = None
        for i in range(3):
            resp, data = request(conn, "POST", "/t/tls/%d" % i, b"secret-%d" % i)
            check(resp.status == 200 and json.loads(data)["body"] == "secret-%d" % i, "TLS answer")
            first = first or conn.sock
            check(conn.sock is first, "TLS keep-alive broken")
        check(conn.sock.version() in ("TLSv1.2", "TLSv1.3"), "TLS version %s" % conn.sock.version())
        proxy.set_rules([{"path_prefix": "/t/tls/s", "action": "status", "status": 503, "count": 1},
                         {"path_prefix": "/t/tls/raf", "action": "reset_after_forward"},
                         {"path_prefix": "/t/tls/reset", "action": "reset"}])
        check(request(conn, "GET", "/t/tls/s")[0].status == 503, "status over TLS")
        check(request(conn, "GET", "/t/tls/s")[0].status == 200 and conn.sock is first, "keep-alive after 503")
        conn.close()
        sock = connect(proxy.port, tls)
        sock.sendall(post_bytes("/t/tls/raf", b"applied"))
        expect_connection_error(lambda: read_response(sock))
        sock.close()
        check([r["body"] for r in ctx.up.seen("/t/tls/raf")] == [b"applied"], "reset_after_forward over TLS")
        sock = connect(proxy.port, tls)
        sock.sendall(post_bytes("/t/tls/reset", b"lost"))
        expect_connection_error(lambda: read_response(sock))
        sock.close()
        check(ctx.up.seen("/t/tls/reset") == [], "reset over TLS was forwarded")
        # A client that is not speaking TLS, and one that does not trust the certificate.
        sock = connect(proxy.port)
        sock.sendall(b"GET /t/tls/plain HTTP/1.1\r\nHost: x\r\n\r\n")
        expect_connection_error(lambda: read_response(sock))
        sock.close()
        expect_connection_error(lambda: connect(proxy.port, ssl.create_default_context()))
        check(request(http.client.HTTPSConnection("127.0.0.1", proxy.port, timeout=TIMEOUT, context=tls),
                      "GET", "/t/tls/ok")[0].status == 200, "proxy unusable after bad TLS clients")
    finally:
        proxy.stop()


def test_log_lines(ctx):
    with open(ctx.proxy.log) as f:
        lines = [json.loads(line) for line in f]
    check(lines, "empty log")
    for entry in lines:
        missing = {"time", "conn", "seq", "method", "path", "action", "rule", "upstream_status"} - entry.keys()
        check(not missing, "log entry %r lacks %s" % (entry, missing))


def test_capture(ctx):
    proxy = ProxyProcess(ctx.workdir, "capture", ctx.up.port, capture=True)
    token, signature = "Bearer tok-SECRET-123", "sha256=" + "ab" * 32
    try:
        conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=TIMEOUT)
        # No sleep anywhere below: each line must be on disk once the client has its answer.
        count = 0

        def last():
            nonlocal count
            lines = proxy.captured()
            check(len(lines) == count + 1, "expected %d capture lines, got %d" % (count + 1, len(lines)))
            count += 1
            return lines[-1]

        # A signed, gzip-compressed, multi-megabyte POST with a query: headers subset, body whole.
        text = "".join('{"n": %d, "name": "商户-%d"}\n' % (i, i) for i in range(60000))
        body = gzip.compress(text.encode())
        resp, data = request(conn, "POST", "/t/cap/feeds?after=5&x=1&x=2&blank=", body,
                             {"Authorization": token, "X-Sandbox-Signature": signature, "Content-Encoding": "gzip",
                              "Content-Type": "application/x-ndjson", "Idempotency-Key": "b-1", "X-Other": "o"})
        check(resp.status == 200, "status %d" % resp.status)
        e = last()
        check(e["method"] == "POST" and e["path"] == "/t/cap/feeds", "method/path %r" % e)
        check(e["query"] == {"after": ["5"], "x": ["1", "2"], "blank": [""]}, "query %r" % e["query"])
        check(e["request_headers"] == {"content-type": "application/x-ndjson", "content-encoding": "gzip",
                                       "idempotency-key": "b-1"}, "headers %r" % e["request_headers"])
        check(e["authorization_present"] is True and e["signature_present"] is True, "presence flags")
        check(e["request_body_text"] == text, "request body not decompressed whole (%d chars)"
              % len(e.get("request_body_text", "")))
        check(e["status"] == 200 and e["upstream_status"] == 200 and e["answered_by"] == "upstream", "status %r" % e)
        check(e["response_content_type"] == "application/json" and e["response_body_text"] == data.decode(),
              "response %r" % e.get("response_body_text", "")[:200])
        check(ctx.up.seen("/t/cap/feeds")[0]["body"] == body, "upstream got other bytes than the client sent")

        # A GET without body or credentials; a chunked answer; a gzip answer; HEAD; 204.
        resp, data = request(conn, "GET", "/t/cap/chunked")
        e = last()
        check("request_body_text" not in e and e["query"] == {} and e["request_headers"] == {}, "empty request %r" % e)
        check(e["authorization_present"] is False and e["signature_present"] is False, "presence flags false")
        check(e["response_body_text"] == "alpha-beta-gamma" == data.decode(), "chunked answer %r" % e)
        resp, data = request(conn, "GET", "/t/cap/slowbody")  # Content-Length, head and body apart
        e = last()
        check(e["response_body_text"] == data.decode() and json.loads(data)["path"] == "/t/cap/slowbody", "slow %r" % e)
        resp, data = request(conn, "GET", "/t/cap/gzipanswer")
        e = last()
        check(json.loads(e["response_body_text"]) == {"zipped": "答"}, "gzip answer not decoded: %r" % e)
        resp, data = request(conn, "HEAD", "/t/cap/head")
        e = last()
        check(e["status"] == 200 and "response_body_text" not in e, "HEAD %r" % e)
        resp, data = request(conn, "DELETE", "/t/cap/nocontent")
        e = last()
        check(e["status"] == 204 and "response_body_text" not in e, "204 %r" % e)

        # Bodies that are not gzip or not UTF-8 are kept as base64 with the reason.
        request(conn, "POST", "/t/cap/badgzip", b"not gzip", {"Content-Encoding": "gzip"})
        e = last()
        check(base64.b64decode(e["request_body_base64"]) == b"not gzip" and "gzip" in e["request_body_error"],
              "bad gzip %r" % e)
        request(conn, "POST", "/t/cap/latin1", b"caf\xe9")
        e = last()
        check(base64.b64decode(e["request_body_base64"]) == b"caf\xe9" and "UTF-8" in e["request_body_error"],
              "latin-1 %r" % e)

        # Answers the proxy makes itself, and exchanges the client never got an answer to.
        proxy.set_rules([{"path_prefix": "/t/cap/busy", "action": "status", "status": 503, "body": "busy"},
                         {"path_prefix": "/t/cap/json", "action": "status", "status": 429, "body": {"error": "x"}},
                         {"path_prefix": "/t/cap/reset", "action": "reset"},
                         {"path_prefix": "/t/cap/raf", "action": "reset_after_forward"},
                         {"path_prefix": "/t/cap/drop", "action": "drop_connection_before"}])
        resp, data = request(conn, "POST", "/t/cap/busy", b"{}", {"Authorization": token})
        e = last()
        check(e["answered_by"] == "proxy" and e["status"] == 503 and e["upstream_status"] is None
              and e["action"] == "status" and e["rule"] == 0, "canned %r" % e)
        check(e["response_body_text"] == "busy" and e["response_content_type"].startswith("text/plain"), "canned body")
        resp, data = request(conn, "GET", "/t/cap/json")
        e = last()
        check(e["status"] == 429 and json.loads(e["response_body_text"]) == {"error": "x"}
              and e["response_content_type"] == "application/json", "canned JSON %r" % e)
        conn.close()
        for path, upstream_status in (("/t/cap/reset", None), ("/t/cap/raf", 200), ("/t/cap/drop", None)):
            sock = connect(proxy.port)
            sock.sendall(post_bytes(path, b'{"k": 1}', "X-Sandbox-Signature: %s\r\n" % signature))
            try:
                sock.recv(65536)  # RST or FIN: either way the exchange is over
            except ConnectionResetError:
                pass
            sock.close()
            e = last()
            check(e["path"] == path and e["status"] is None and e["answered_by"] is None
                  and e["upstream_status"] == upstream_status and e["request_body_text"] == '{"k": 1}'
                  and e["signature_present"] is True and "response_body_text" not in e, "no answer %r" % e)

        # The upstream down: the proxy's own 502.
        down = socket.socket()
        down.bind(("127.0.0.1", 0))
        dead_port = down.getsockname()[1]
        down.close()
        proxy2 = ProxyProcess(ctx.workdir, "capture-down", dead_port, capture=True)
        try:
            request(http.client.HTTPConnection("127.0.0.1", proxy2.port, timeout=TIMEOUT), "GET", "/t/cap/down")
            (e,) = proxy2.captured()
            check(e["status"] == 502 and e["answered_by"] == "proxy" and "error" in e, "502 %r" % e)
        finally:
            proxy2.stop()

        # Garbage: the proxy's 400, with no method or path.
        sock = connect(proxy.port)
        sock.sendall(b"GARBAGE\r\n\r\n")
        read_response(sock)
        sock.close()
        e = last()
        check(e["method"] is None and e["path"] is None and e["status"] == 400 and "error" in e, "garbage %r" % e)

        with open(proxy.capture, encoding="utf-8") as f:
            raw = f.read()
        check("tok-SECRET-123" not in raw and "ab" * 32 not in raw, "a secret value reached the capture file")
        check(all(set(e) >= {"time", "conn", "seq", "method", "path", "query", "request_headers",
                             "authorization_present", "signature_present", "action", "rule", "answered_by",
                             "status", "upstream_status"} for e in proxy.captured()), "fields missing")
        check("Traceback" not in proxy.stderr_text(), "traceback: %s" % proxy.stderr_text())
    finally:
        proxy.stop()


def test_sigterm(ctx):
    proxy = ProxyProcess(ctx.workdir, "term", ctx.up.port)
    idle = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=TIMEOUT)
    check(request(idle, "GET", "/t/term")[0].status == 200, "before SIGTERM")  # a thread now waits on it
    started = time.monotonic()
    proxy.proc.send_signal(signal.SIGTERM)
    code = proxy.proc.wait(TIMEOUT)
    check(code == 0, "exit code %s after SIGTERM" % code)
    check(time.monotonic() - started < 5, "slow to stop")
    check(proxy.proc.stdout.read() == b"", "stdout must hold only the PORT line")
    check("Traceback" not in proxy.stderr_text(), "traceback: %s" % proxy.stderr_text())
    proxy.stop()
    idle.close()


TESTS = [test_keep_alive_pass, test_chunked_request_body, test_response_framing, test_status, test_delay,
         test_reset, test_reset_after_forward, test_drop_connection_before, test_control_file_changes,
         test_client_gives_up_mid_request, test_expect_100_continue, test_upstream_reconnects,
         test_upstream_down, test_tls, test_log_lines, test_capture, test_sigterm]


# ---------------------------------------------------------------------------------------------


def make_certificates(workdir):
    """A throwaway CA and a server certificate for IP:127.0.0.1 signed by it, via the openssl CLI."""
    d = os.path.join(workdir, "certs")
    os.makedirs(d, exist_ok=True)
    ca, ca_key = os.path.join(d, "ca.pem"), os.path.join(d, "ca.key")
    cert, key, csr = os.path.join(d, "server.pem"), os.path.join(d, "server.key"), os.path.join(d, "server.csr")
    ext = os.path.join(d, "server.ext")
    with open(ext, "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\n"
                "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
                "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid,issuer\n")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    for cmd in (["openssl", "req", "-x509", *ec, "-keyout", ca_key, "-out", ca, "-days", "2",
                 "-subj", "/CN=fault_proxy selftest CA",
                 "-addext", "basicConstraints=critical,CA:TRUE",
                 "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
                ["openssl", "req", "-new", *ec, "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1"],
                ["openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial",
                 "-out", cert, "-days", "2", "-extfile", ext]):
        subprocess.run(cmd, check=True, capture_output=True)
    return ca, cert, key


class Context:
    pass


def main():
    ctx = Context()
    ctx.workdir = tempfile.mkdtemp(prefix="fault_proxy_selftest.")
    ctx.up = Upstream()
    ctx.proxy = ProxyProcess(ctx.workdir, "main", ctx.up.port)
    failures = []
    started = time.monotonic()
    try:
        for test in TESTS:
            ctx.proxy.set_rules([])  # every test starts from "pass everything"
            t0 = time.monotonic()
            try:
                test(ctx)
                print("ok    %-36s %.2fs" % (test.__name__, time.monotonic() - t0), flush=True)
            except Exception:
                failures.append(test.__name__)
                print("FAIL  %s\n%s" % (test.__name__, traceback.format_exc()), flush=True)
        ctx.proxy.stop()
        if "Traceback" in ctx.proxy.stderr_text():
            failures.append("proxy stderr")
            print("FAIL  proxy stderr has a traceback:\n" + ctx.proxy.stderr_text())
    finally:
        ctx.proxy.stop()
        ctx.up.shutdown()
        if failures:
            print("(work dir kept for inspection: %s)" % ctx.workdir)
        else:
            shutil.rmtree(ctx.workdir, ignore_errors=True)
    passed = len(TESTS) - len([f for f in failures if f != "proxy stderr"])
    print("fault_proxy selftest: %d/%d passed%s in %.1fs" % (
        passed, len(TESTS), "" if not failures else ", FAILED: " + ", ".join(failures), time.monotonic() - started))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

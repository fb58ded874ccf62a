#!/usr/bin/env python3
"""A scripted stand-in for the regulator, for the agent's HTTP tests (127.0.0.1 only).

Prints "PORT <n>" on stdout once listening. Every request is logged as one JSON line to --log
(method, path, query, lowercased headers, body decompressed if gzip, connection id, whether the
bearer token and HMAC signature checked out) BEFORE it is answered, so a test that has its answer
can read the log. Answers follow --script, a JSON list of steps used one per request, then 200:
  {"status": 503, "headers": {"Retry-After": "2"}, "delay": 0.0, "body": "...", "close": false}
  {"action": "close"}   -- drop the connection without answering
With --token / --secret, a request with a wrong bearer token (or a POST with a wrong signature) gets 401 (and is still
logged, with the step not consumed). With --cert/--key it serves TLS; --client-ca makes it
require a client certificate signed by that CA.
"""
import argparse
import gzip
import hashlib
import hmac
import itertools
import json
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--log", required=True)
    p.add_argument("--script", default="[]")
    p.add_argument("--token")
    p.add_argument("--secret")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--client-ca")
    args = p.parse_args()

    script = json.loads(args.script)
    lock = threading.Lock()
    connection_ids = itertools.count(1)
    log = open(args.log, "a", encoding="utf-8")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: one handler instance per connection

        def setup(self):
            super().setup()
            with lock:
                self.connection_id = next(connection_ids)

        def log_message(self, fmt, *a):
            pass  # the JSON log is the record; stderr stays quiet

        def do_GET(self):
            self.handle_one()

        def do_POST(self):
            self.handle_one()

        def handle_one(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            body, gzip_ok = raw, None
            if headers.get("content-encoding") == "gzip":
                try:
                    body, gzip_ok = gzip.decompress(raw), True
                except Exception:
                    gzip_ok = False
            bearer_ok = None
            if args.token is not None:
                bearer_ok = hmac.compare_digest(headers.get("authorization", ""), "Bearer " + args.token)
            signature_ok = None
            url = urllib.parse.urlsplit(self.path)
            if args.secret is not None and self.command == "POST":
                # docs/sync.md "Signature": method, path, key, time and the body's SHA-256.
                message = "\n".join(["sandbox-link-v2", self.command, url.path, headers.get("idempotency-key", ""),
                                     headers.get("x-sandbox-timestamp", ""), hashlib.sha256(raw).hexdigest()])
                expected = "sha256=" + hmac.new(args.secret.encode(), message.encode(), hashlib.sha256).hexdigest()
                signature_ok = hmac.compare_digest(headers.get("x-sandbox-signature", ""), expected)
            entry = {
                "connection": self.connection_id,
                "method": self.command,
                "path": url.path,
                "query": urllib.parse.parse_qsl(url.query, keep_blank_values=True),
                "headers": headers,
                "body": body.decode("utf-8", "replace"),
                "body_bytes": len(raw),
                "gzip_ok": gzip_ok,
                "bearer_ok": bearer_ok,
                "signature_ok": signature_ok,
            }
            refused = bearer_ok is False or signature_ok is False or gzip_ok is False
            with lock:
                step = {} if refused or not script else script.pop(0)
                log.write(json.dumps(entry, ensure_ascii=False) + "\n")
                log.flush()
            if refused:
                self.answer(401 if gzip_ok is not False else 400, {}, b'{"error":"refused"}')
                return
            if step.get("action") == "close":
                self.close_connection = True
                self.connection.close()
                return
            if step.get("delay"):
                time.sleep(step["delay"])
            body = step.get("body", '{"ok":true}').encode()
            self.answer(step.get("status", 200), step.get("headers", {}), body)

        def answer(self, status, headers, body):
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client gave up (its timeout): nothing to do

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        allow_reuse_address = True

        def handle_error(self, request, client_address):
            pass  # TLS refusals and dropped clients are part of the tests

    server = Server(("127.0.0.1", 0), Handler)
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        if args.client_ca:
            context.load_verify_locations(args.client_ca)
            context.verify_mode = ssl.CERT_REQUIRED
        # The handshake runs in the connection's thread (not in accept), so one bad client
        # cannot stall the listener.
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)

        original_finish = server.finish_request

        def finish_request(request, client_address):
            try:
                request.do_handshake()
            except (ssl.SSLError, OSError):
                return
            original_finish(request, client_address)

        server.finish_request = finish_request

    print("PORT", server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())

"""A webhook receiver on 127.0.0.1 for the tests (the ``receiver`` fixture in conftest.py starts one)."""

import json
import threading
import time
import types
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = "test-webhook-secret-0123456789abcdefghij"


def payload(request):
    return json.loads(request.body)


class Receiver:
    """A tiny webhook receiver: records each request, answers queued statuses, then 200."""

    def __init__(self):
        self.requests = []
        self.answers = deque()  # (status, delay seconds, extra headers)
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.requests.append(
                        types.SimpleNamespace(path=self.path, headers=dict(self.headers.items()), body=body)
                    )
                    status, delay, headers = receiver.answers.popleft() if receiver.answers else (200, 0, {})
                if delay:
                    time.sleep(delay)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def url(self, path="/hook"):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def answer(self, status, times=1, delay=0, headers=None):
        self.answers.extend([(status, delay, headers or {})] * times)

    def to(self, path):
        return [request for request in self.requests if request.path == path]

    @property
    def events(self):
        """The JSON bodies received, in order."""
        return [payload(request) for request in self.requests]

    def clear(self):
        with self.lock:
            self.requests.clear()

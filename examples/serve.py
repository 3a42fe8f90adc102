"""Serve the example frontend (this folder) the way a real site would: with a strict CSP.

    python examples/serve.py --port 3000 --api http://127.0.0.1:8000

The policy allows scripts, API calls and images from the CMS (``--api``) and nothing inline, so the
example proves that the comment widget needs no 'unsafe-inline'; the pages' ``<meta name="cms-api">``
is set to ``--api`` as they are served. Any other static server works too (``python -m http.server
3000 -d examples``): it sends no CSP, and the pages read the CMS at the meta's default address or
``?api=``. Standard library only.
"""

import argparse
import functools
import html
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_API = "http://127.0.0.1:8000"
META = f'<meta name="cms-api" content="{DEFAULT_API}">'
VIDEO_FRAMES = "https://www.youtube-nocookie.com https://www.youtube.com https://player.vimeo.com"


def policy(api):
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {api}",
            "style-src 'self'",
            f"img-src 'self' {api} data: https:",
            f"connect-src 'self' {api}",
            f"frame-src {VIDEO_FRAMES}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


class Handler(SimpleHTTPRequestHandler):
    api = DEFAULT_API

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        page = path / "index.html" if self.path.split("?")[0].endswith("/") else path
        if page.suffix != ".html" or not page.is_file():
            super().do_GET()
            return
        body = page.read_text().replace(META, f'<meta name="cms-api" content="{html.escape(self.api)}">').encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self):
        self.send_header("Content-Security-Policy", policy(self.api))
        self.send_header("Referrer-Policy", "strict-origin-when-cross-origin")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format, *args):
        if not getattr(self.server, "quiet", False):
            super().log_message(format, *args)


def make_server(*, api, host="127.0.0.1", port=3000, quiet=False):
    """A server for this folder whose CSP names ``api``; call ``serve_forever()`` on it."""
    handler = type("ExampleHandler", (Handler,), {"api": api.rstrip("/")})
    server = ThreadingHTTPServer((host, port), functools.partial(handler, directory=str(HERE)))
    server.quiet = quiet
    return server


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3000)
    parser.add_argument("--api", default=DEFAULT_API, help="the CMS's base URL")
    args = parser.parse_args()
    server = make_server(api=args.api, host=args.host, port=args.port)
    print(f"Example frontend: http://{args.host}:{args.port}/ (API {args.api})")  # noqa: T201
    server.serve_forever()


if __name__ == "__main__":
    main()

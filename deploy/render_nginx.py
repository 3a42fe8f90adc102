#!/usr/bin/env python3
"""Render deploy/nginx.conf.template for a host, and make the folders it names.

    python deploy/render_nginx.py --listen 8080 --upstream 127.0.0.1:8000 --prefix /srv/cms/nginx \
        --static-root /srv/cms/staticfiles --media-root /srv/cms/media > /srv/cms/nginx/nginx.conf
    nginx -p /srv/cms/nginx -c /srv/cms/nginx/nginx.conf
"""

import argparse
import getpass
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")


def load_modules():
    """A config run with -c loads its own modules (Debian's modules-enabled uses prefix-relative paths)."""
    return f"load_module {PURGE_MODULE};" if PURGE_MODULE.exists() else ""


def render(*, listen, upstream, prefix, static_root, media_root, server_name="_", purge_from="127.0.0.1", user=None):
    prefix = Path(prefix).resolve()
    for sub in ("cache", "tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    values = {
        "LOAD_MODULES": load_modules(),
        # Started as root, workers run as this user (the owner of the cache folder); ignored otherwise.
        "USER": f"user {user or getpass.getuser()};" if os.geteuid() == 0 else "",
        "LISTEN": listen,
        "UPSTREAM": upstream,
        "PREFIX": prefix,
        "STATIC_ROOT": Path(static_root).resolve(),
        "MEDIA_ROOT": Path(media_root).resolve(),
        "SERVER_NAME": server_name,
        "PURGE_FROM": purge_from,
    }
    template = (HERE / "nginx.conf.template").read_text()
    # ${NAME} placeholders only: nginx's own $variables stay as they are.
    return re.sub(r"\$\{([A-Z_]+)\}", lambda match: str(values[match.group(1)]), template)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listen", required=True, help="address:port or port nginx listens on")
    parser.add_argument("--upstream", required=True, help="host:port of gunicorn")
    parser.add_argument("--prefix", required=True, help="folder for nginx's pid, logs, cache and temp files")
    parser.add_argument("--static-root", required=True)
    parser.add_argument("--media-root", required=True)
    parser.add_argument("--server-name", default="_")
    parser.add_argument("--user", help="user for the worker processes when started as root (default: you)")
    parser.add_argument("--purge-from", default="127.0.0.1", help="address allowed to send PURGE")
    args = parser.parse_args(argv)
    sys.stdout.write(
        render(
            listen=args.listen,
            upstream=args.upstream,
            prefix=args.prefix,
            static_root=args.static_root,
            media_root=args.media_root,
            server_name=args.server_name,
            purge_from=args.purge_from,
            user=args.user,
        )
    )


if __name__ == "__main__":
    main()

"""HTTP as the drill's editor, moderator and readers speak it (requests), each answer timed.

The production settings mark the session and CSRF cookies ``Secure``; the drill talks plain HTTP on
loopback (TLS would end at a proxy in front of nginx), so the flag is dropped from what its cookie jar
keeps, and the cookies go back over http too (requests merges every jar into a new one per request,
so a cookie policy of the session's jar would not hold).
"""

import io
import re
import time
from dataclasses import dataclass

import requests
from PIL import Image

TIMEOUT = 15


def session():
    return requests.Session()


@dataclass
class Answer:
    status: int | None  # None: no HTTP answer at all (refused, reset, timed out)
    headers: dict
    body: bytes
    seconds: float
    error: str = ""
    at: float = 0.0  # time.time() when the answer arrived

    @property
    def text(self):
        return self.body.decode(errors="replace")

    def header(self, name):
        return self.headers.get(name, "")

    @property
    def proxy_cache(self):
        return self.header("X-Proxy-Cache") or "-"

    def json(self):
        import json

        return json.loads(self.body)

    def shows(self, text):
        return self.status == 200 and text in self.text

    def brief(self):
        status = self.status if self.status is not None else f"no answer ({self.error})"
        return f"{status} in {self.seconds * 1000:.0f} ms, X-Proxy-Cache {self.proxy_cache}"


def call(client, method, url, **kwargs):
    started = time.monotonic()
    try:
        response = client.request(method, url, timeout=TIMEOUT, allow_redirects=False, **kwargs)
    except requests.RequestException as exc:
        return Answer(None, {}, b"", time.monotonic() - started, type(exc).__name__, time.time())
    for cookie in client.cookies:
        cookie.secure = False  # plain HTTP on loopback: see the module's docstring
    return Answer(response.status_code, response.headers, response.content, time.monotonic() - started, at=time.time())


def get(client, url, **kwargs):
    return call(client, "GET", url, **kwargs)


def jpeg(label, size=(960, 540)):
    picture = Image.new("RGB", size, (40, 110, 160))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


class Editor:
    """A member of Editors in the Wagtail admin, through one public address (an nginx)."""

    def __init__(self, base, username, password):
        self.base = base
        self.client = session()
        self.username, self.password = username, password

    def csrf(self):
        return self.client.cookies.get("csrftoken", "")

    def login(self):
        form = get(self.client, f"{self.base}/admin/login/")
        if form.status != 200:
            raise RuntimeError(f"the admin login form answered {form.brief()}")
        data = {
            "username": self.username,
            "password": self.password,
            "csrfmiddlewaretoken": self.csrf(),
            "next": "/admin/",
        }
        answer = call(self.client, "POST", f"{self.base}/admin/login/", data=data)
        if answer.status != 302 or "sessionid" not in self.client.cookies:
            raise RuntimeError(f"the admin login answered {answer.brief()}")
        return answer

    def upload_image(self, title, content):
        """Wagtail's image add form (Images › Add an image)."""
        get(self.client, f"{self.base}/admin/images/add/")
        data = {"title": title, "tags": "", "csrfmiddlewaretoken": self.csrf()}
        files = {"file": (f"{re.sub(r'[^a-z0-9]+', '-', title.lower())}.jpg", content, "image/jpeg")}
        return call(self.client, "POST", f"{self.base}/admin/images/add/", data=data, files=files)

    def add_article(self, parent_id, data):
        """Wagtail's page add form for an article under ``parent_id``; ``data`` as the browser posts it."""
        url = f"{self.base}/admin/pages/add/articles/articlepage/{parent_id}/"
        get(self.client, url)
        return call(self.client, "POST", url, data={**data, "csrfmiddlewaretoken": self.csrf()})


def form_errors(answer):
    """The error messages of a form page that came back with a 200 (for a FAIL that says why)."""
    found = re.findall(r'class="error-message"[^>]*>\s*(?:<[^>]+>\s*)*([^<]+)', answer.text)
    return [message.strip() for message in found][:5] or [answer.text[:300]]

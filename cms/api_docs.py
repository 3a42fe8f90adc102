"""``/api/docs/``: Redoc, served from our own static files and under the site's CSP.

drf-spectacular's stock page loads Google Fonts and calls Redoc from an inline script, so it was a
blank page offline and had to be left out of the CSP. Here Redoc comes from drf-spectacular-sidecar
(pinned in requirements.txt, ``REDOC_DIST = "SIDECAR"``) and is started by ``static/js/api-docs.js``
(no inline script). The policy adds only what Redoc needs, and takes away images from other sites:
- its styled-components ``<style>`` carries this response's nonce;
- two ``<style>`` elements that its bundle inserts while it loads, before any nonce can reach it, are
  allowed by hash: an empty one and perfect-scrollbar's CSS (tests/e2e/test_api_docs.py fails, naming
  the hash, if a new sidecar release changes them);
- its search index runs in a ``blob:`` worker.
"""

from csp.constants import NONCE, SELF
from csp.decorators import csp_replace, csp_update
from drf_spectacular.views import SpectacularRedocView

REDOC_STYLE_HASHES = [
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",  # the empty <style> first inserted
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",  # perfect-scrollbar 1.5's CSS
]
REDOC_POLICY = {"style-src": [NONCE, *REDOC_STYLE_HASHES], "worker-src": [SELF, "blob:"]}
NO_IMAGES_FROM_ELSEWHERE = {"img-src": [SELF, "data:"]}


class OfflineRedocView(SpectacularRedocView):
    template_name = "cms/api_docs.html"


def api_docs_view(url_name):
    view = OfflineRedocView.as_view(url_name=url_name)
    return csp_replace(NO_IMAGES_FROM_ELSEWHERE)(csp_update(REDOC_POLICY)(view))

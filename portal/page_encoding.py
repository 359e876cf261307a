"""Cached pages are kept gzipped: compressed once, when stored, not on every answer.

nginx compressed each page it passed on (level 5: about 1 ms of CPU for a 75 KB document page,
in the process that also relays every other reader's response), and the cache held, and Redis
sent, the page uncompressed. An entry now holds the gzip of the page (level 6, about 16 KB for
the police document): a reader whose browser accepts gzip, as every browser does, gets it as it
is; any other gets it decompressed (about 0.1 ms). nginx does not compress a response that
already says it is encoded.

Only what the page cache answers is compressed here: public pages for readers who are not signed
in, which hold no secret (BREACH needs one). The ETag of the gzip answer is the page's, made
weak, as Django's GZipMiddleware does: both answers are the same page.
"""

import gzip
import re

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

ACCEPTS_GZIP = re.compile(r"\bgzip\b")
LEVEL = 6


def accepts_gzip(request) -> bool:
    return bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))


def pack(response) -> tuple:
    """The cache entry for a page: its gzip, status and headers."""
    # mtime=0: the same page gives the same bytes, whichever process stores it.
    body = gzip.compress(response.content, compresslevel=LEVEL, mtime=0)
    return (body, response.status_code, dict(response.headers))


def answer(entry, request, response=None) -> HttpResponse:
    """The page of a cache entry, gzipped or not as the reader accepts. ``response``: the page
    just rendered from which the entry was made, answered as it is to a reader without gzip."""
    body, status, headers = entry
    gzipped = accepts_gzip(request)
    if response is None:
        content = body if gzipped else gzip.decompress(body)
        response = HttpResponse(content, status=status, headers=headers)
    elif gzipped:
        response.content = body
    if gzipped:
        response["Content-Encoding"] = "gzip"
        etag = response.get("ETag")
        if etag and not etag.startswith("W/"):
            response["ETag"] = "W/" + etag
    response["Content-Length"] = str(len(response.content))
    patch_vary_headers(response, ["Accept-Encoding"])
    return response

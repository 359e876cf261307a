"""Cached pages are kept gzipped and sent as they are to readers who accept gzip
(portal/page_encoding.py): compressed once, when stored, instead of by nginx on every answer."""

import gzip

import pytest

from portal import caching

pytestmark = pytest.mark.django_db

DOCUMENT = "/documents/police/"
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def test_a_reader_accepting_gzip_gets_the_same_page_gzipped_on_a_miss_and_on_a_hit(client):
    plain = client.get(DOCUMENT, {"role": "police"})
    caching.bump_content_version()
    miss = client.get(DOCUMENT, {"role": "police"}, **GZIP)
    hit = client.get(DOCUMENT, {"role": "police"}, **GZIP)
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    for response in (miss, hit):
        assert response["Content-Encoding"] == "gzip"
        assert response["Content-Length"] == str(len(response.content))
        assert response["Vary"] == "Cookie, Accept-Encoding"
        assert gzip.decompress(response.content) == plain.content
        # The same page: its ETag, made weak as Django's GZipMiddleware does.
        assert response["ETag"] == "W/" + plain["ETag"]
    assert len(hit.content) < len(plain.content) / 3


def test_a_reader_without_gzip_gets_the_page_as_rendered_from_a_gzipped_entry(client):
    miss = client.get(DOCUMENT, **GZIP)
    hit = client.get(DOCUMENT)
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    assert "Content-Encoding" not in hit
    assert hit.content == gzip.decompress(miss.content)
    assert hit.content.startswith(b"<!doctype html>")
    assert hit["Content-Length"] == str(len(hit.content))
    assert not hit["ETag"].startswith("W/")


def test_the_cache_holds_each_page_once_and_gzipped(client):
    client.get(DOCUMENT)
    key = caching.page_key(client.get(DOCUMENT).wsgi_request, caching.current_version())
    body, status, _ = caching.page_cache().get(key)
    assert status == 200
    assert gzip.decompress(body) == client.get(DOCUMENT).content
    assert len(body) < 25_000  # the police document is about 75 KB as HTML


@pytest.mark.parametrize("encoding", [GZIP, {}])
def test_either_etag_makes_the_next_request_a_304(client, encoding):
    first = client.get(DOCUMENT, **encoding)
    again = client.get(DOCUMENT, HTTP_IF_NONE_MATCH=first["ETag"], **encoding)
    assert again.status_code == 304
    assert again.content == b""

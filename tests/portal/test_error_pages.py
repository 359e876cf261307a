"""The custom 404 and 500 pages, as readers see them with DEBUG off."""

import pytest
from django.urls import include, path

pytestmark = pytest.mark.django_db


def broken_view(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("broken/", broken_view),
    path("", include("portal.urls")),
]


def test_an_unknown_page_gets_the_portals_404_with_ways_on(client, settings):
    assert settings.DEBUG is False
    response = client.get("/documents/no-such-document/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page not found</h1>" in page
    assert 'href="/documents/"' in page
    assert 'action="/search/"' in page
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


@pytest.mark.urls(__name__)
def test_a_server_error_gets_the_portals_500_page_and_is_logged(client, settings, caplog):
    assert settings.DEBUG is False
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, something went wrong" in page
    assert "a bug" not in page  # no details for the public
    assert "RuntimeError: a bug" in caplog.text
    assert "X-Page-Cache" not in response

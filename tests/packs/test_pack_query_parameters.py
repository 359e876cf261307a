"""The packs' pages read their GET parameters as the reading pages do (``@query_parameters``,
portal/query.py): each view declares a Form, sees only the declared parameters, each valid, and
ignores the rest. Property-based: whatever a pack address carries, signed out or signed in, the
answer is a page, a redirect, 403, 404 or 405, never a server error."""

import re

import pytest
from django.urls import URLPattern
from hypothesis import given
from hypothesis import strategies as st

from briefings.packs import urls as pack_urls
from tests.support.fuzzing import fuzzed, request_with_any_query
from tests.support.packs import first_sections, key_messages, make_pack, make_trainer

pytestmark = pytest.mark.django_db

ALLOWED = {200, 302, 403, 404, 405}
QUERY_KEYS = ["page", "focus", "section", "key_message", "next", "role", "q", "token"]
ROUTES = sorted(
    "/packs/" + str(p.pattern) for p in pack_urls.urlpatterns if isinstance(p, URLPattern)
)


def test_every_pack_page_declares_the_parameters_it_reads():
    undeclared = [
        str(p.pattern) for p in pack_urls.urlpatterns if not hasattr(p.callback, "query_form")
    ]
    assert undeclared == []


@pytest.fixture
def pack(trainer):
    return make_pack(trainer, first_sections("police", 3))


def test_the_add_page_sees_only_what_it_declares(trainer_client, pack):
    section = first_sections("police", 4)[3]
    response = trainer_client.get(
        f"/packs/add/?utm_source=mail&next=/documents/police/&section={section.pk}&x=1"
    )
    assert response.status_code == 200
    assert response.wsgi_request.GET.urlencode() == (
        f"next=%2Fdocuments%2Fpolice%2F&section={section.pk}"
    )
    # A return address off this site is dropped before the view sees it: back to the section.
    response = trainer_client.get(f"/packs/add/?section={section.pk}&next=https://evil.example/")
    assert response.wsgi_request.GET.urlencode() == f"section={section.pk}"
    assert f'href="{section.get_absolute_url()}">Cancel' in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["section=abc", "section=-4", "section=", "key_message=1.5", "section=99999999999999999999"],
)
def test_a_target_that_is_not_a_number_is_not_found(trainer_client, pack, query):
    assert trainer_client.get(f"/packs/add/?{query}").status_code == 404


def test_a_garbage_focus_is_ignored_and_a_real_one_kept(trainer_client, pack):
    first = pack.items.order_by("order").first()
    for focus in ("<script>", "up-", "up-1-2", "x" * 500, "save-notes-x", "status status"):
        response = trainer_client.get(pack.get_edit_url(), {"focus": focus, "junk": "1"})
        assert response.status_code == 200, focus
        html = response.content.decode()
        assert "autofocus" not in html, focus
        # With no control to sit beside, the confirmations are at the top.
        assert 'id="status" role="status"' in html, focus
    response = trainer_client.get(pack.get_edit_url(), {"focus": f"note-{first.pk}", "a": "b"})
    assert response.wsgi_request.GET.urlencode() == f"focus=note-{first.pk}"
    assert re.search(rf'id="note-{first.pk}"[^>]*autofocus', response.content.decode())


@pytest.mark.parametrize("page", ["abc", "-1", "0", "1.5", "99999999999999999999", ""])
def test_the_list_of_packs_ignores_a_page_that_is_not_a_page(client, pack, page):
    response = client.get("/packs/", {"page": page, "fbclid": "x"})
    assert response.status_code == 200
    assert response.wsgi_request.GET.urlencode() in ("", f"page={page}")


def test_the_pack_and_handout_read_no_parameters(client, pack):
    for url in (pack.get_absolute_url(), pack.get_handout_url()):
        response = client.get(url, {"utm_source": "mail", "role": "police"})
        assert response.status_code == 200
        assert response.wsgi_request.GET.urlencode() == ""


@pytest.fixture
def tokens(trainer):
    mine = make_pack(trainer, first_sections("police", 2) + key_messages("police", 1))
    theirs = make_pack(make_trainer("someone-else"), first_sections("social-workers", 1))
    return [mine.token, theirs.token]


@pytest.mark.parametrize("route", ROUTES)
@fuzzed(max_examples=12)
@given(data=st.data())
def test_any_parameters_on_any_pack_page_give_no_server_error(client, trainer, tokens, route, data):
    if data.draw(st.booleans(), label="signed in"):
        client.force_login(trainer)
    else:
        client.logout()
    token = data.draw(
        st.one_of(st.sampled_from(tokens), st.from_regex(r"[A-Za-z0-9_-]{16}", fullmatch=True)),
        label="token",
    )
    url = route.replace("<packtoken:token>", token)
    ids = [
        str(pk)
        for pk in first_sections("police", 3)[0].briefing.sections.values_list("pk", flat=True)
    ]
    values = [*ids, "up-1", "save-notes", "/documents/police/", "2", "-1"]
    query, response = request_with_any_query(client, data, url, QUERY_KEYS, values)
    assert response.status_code in ALLOWED, (url, query, response.status_code)

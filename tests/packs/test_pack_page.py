"""A pack's page: anyone with the link reads the live, published guidance it gathers, with the
trainer's notes set apart; nobody can reach it without the link; drafts never show."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from briefings.models import Status
from briefings.packs.models import Pack
from tests.support.clock import MOMENT
from tests.support.packs import first_sections, key_messages, make_pack, make_trainer, text_of


@pytest.fixture
def pack(trainer):
    police = first_sections("police", 3)
    social = first_sections("social-workers", 2)
    message = key_messages("social-workers", 1)
    return make_pack(
        trainer,
        [police[1], social[1], message[0], police[2]],
        notes=["Discuss in pairs.", "", "Ask: what would you do?", ""],
        introduction="For the Tuesday session.\nBring the case study.",
    )


def test_an_anonymous_reader_with_the_link_sees_every_item_in_order_with_its_source(client, pack):
    response = client.get(pack.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    items = list(pack.items.order_by("order").select_related("section__briefing", "key_message"))
    positions = [html.index(f'id="item-{n}-heading"') for n in range(1, 5)]
    assert positions == sorted(positions)
    first, second, message, fourth = (i.section or i.key_message for i in items)
    assert html.index(first.heading) < html.index(second.heading) < html.index(fourth.heading)
    # Full live text: the stored (sanitised) body and the key message as rendered.
    assert text_of(first.body_html) in text_of(html)
    assert text_of(message.text_html) in text_of(html)
    # Document, role and permanent link for each.
    assert f"From {first.briefing.title} · for Police" in text_of(html)
    assert "for Police" in text_of(html)
    assert "for Social workers" in text_of(html)
    assert f'href="{first.get_permalink()}"' in html
    assert f'href="{message.get_permalink()}"' in html
    assert "For the Tuesday session.<br>Bring the case study." in html


@time_machine.travel(MOMENT, tick=False)
def test_the_pack_says_when_its_content_was_read(client, pack):
    html = client.get(pack.get_absolute_url()).content.decode()
    assert 'Content as of <time datetime="2026-03-02' in html
    assert "2 March 2026" in html


def test_notes_are_set_apart_and_marked_as_the_trainers(client, pack):
    html = client.get(pack.get_absolute_url()).content.decode()
    assert html.count('<div class="pack-note">') == 2
    assert re.search(r"Trainer’s note</p>\s*<p>Discuss in pairs.</p>", html)


def test_notes_and_titles_cannot_inject_markup(client, trainer):
    attack = '<script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:x">y</a>'
    pack = make_pack(
        trainer, first_sections("police", 1), title=attack, introduction=attack, notes=[attack]
    )
    for url in (pack.get_absolute_url(), pack.get_handout_url()):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert 'href="javascript' not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_wrong_token_a_malformed_token_and_the_database_id_all_404(client, pack):
    wrong = ("A" if pack.token[0] != "A" else "B") + pack.token[1:]
    assert client.get(f"/packs/{wrong}/").status_code == 404
    assert client.get(f"/packs/{pack.token}x/").status_code == 404
    assert client.get(f"/packs/{pack.pk}/").status_code == 404
    assert client.get(f"/packs/{pack.token[:-1]}/").status_code == 404
    if pack.token.swapcase() != pack.token:
        assert client.get(f"/packs/{pack.token.swapcase()}/").status_code == 404


def test_an_unpublished_section_shows_as_unavailable_without_its_text(client, pack):
    item = pack.items.get(order=0)
    section = item.section
    section.status = Status.DRAFT
    section.save()
    html = client.get(pack.get_absolute_url()).content.decode()
    assert "Section no longer available" in html
    assert "This section is no longer available in the guidance" in html
    assert section.heading not in html
    assert text_of(section.body_html) not in text_of(html)
    assert "Discuss in pairs." in html  # the trainer's note still shows
    handout = client.get(pack.get_handout_url()).content.decode()
    assert section.heading not in handout
    assert section.get_permalink() not in handout


def test_sections_and_key_messages_of_a_draft_or_future_document_are_unavailable(client, pack):
    items = list(pack.items.order_by("order").select_related("section", "key_message"))
    social = items[1].section.briefing
    social.status = Status.DRAFT
    social.save()
    html = client.get(pack.get_absolute_url()).content.decode()
    assert items[1].section.heading not in html
    assert text_of(items[2].key_message.text_html) not in text_of(html)
    assert "Key message no longer available" in html

    social.status = Status.PUBLISHED
    social.publish_from = timezone.now() + dt.timedelta(days=3)
    social.save()
    html = client.get(pack.get_absolute_url()).content.decode()
    assert text_of(items[2].key_message.text_html) not in text_of(html)
    assert html.count("no longer available in the guidance") == 2


def test_a_deleted_section_and_key_message_say_so_plainly(client, pack):
    items = list(pack.items.order_by("order").select_related("section", "key_message"))
    heading = items[0].section.heading
    items[0].section.delete()
    items[2].key_message.delete()
    response = client.get(pack.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert heading not in html
    assert "This section is no longer available in the guidance" in html
    assert "This key message is no longer available in the guidance" in html


def test_the_page_is_private_sets_no_cookie_and_unlisted_packs_ask_not_to_be_indexed(client, pack):
    response = client.get(pack.get_absolute_url())
    cache_control = response["Cache-Control"]
    assert "private" in cache_control
    assert "no-store" in cache_control
    assert response.cookies == {}
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    pack.visibility = Pack.Visibility.LISTED
    pack.save()
    response = client.get(pack.get_absolute_url())
    assert "X-Robots-Tag" not in response
    assert "noindex" not in response.content.decode()


def test_only_its_owner_is_offered_the_edit_link(client, pack, trainer):
    edit = f'href="{pack.get_edit_url()}"'
    assert edit not in client.get(pack.get_absolute_url()).content.decode()
    client.force_login(make_trainer("someone-else"))
    assert edit not in client.get(pack.get_absolute_url()).content.decode()
    client.force_login(trainer)
    assert edit in client.get(pack.get_absolute_url()).content.decode()


def test_the_page_costs_the_same_number_of_queries_whatever_the_pack_size(client, trainer):
    small = make_pack(trainer, first_sections("police", 2) + key_messages("police", 1))
    large = make_pack(
        trainer,
        first_sections("police", 4)
        + first_sections("social-workers", 3)
        + key_messages("police", 2)
        + key_messages("social-workers", 2),
    )
    counts = []
    for pack in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(pack.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # The pack, its items, which targets are published, sub-sections, roles, glossary terms.
    assert counts[0] <= 7

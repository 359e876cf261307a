"""The printed handout: every item in full, a QR code and short URL back to the live pack and to
each item's permanent link, and the date it was printed. QR codes are decoded from the page's own
SVG by an independent decoder (zxing-cpp)."""

import re

import pytest
import time_machine

from briefings.models import Status
from tests.support.clock import MOMENT
from tests.support.packs import (
    decode_qr,
    first_sections,
    key_messages,
    make_pack,
    qr_codes_in,
    text_of,
)


@pytest.fixture
def pack(trainer):
    return make_pack(
        trainer,
        [
            first_sections("police", 2)[1],
            key_messages("police", 1)[0],
            first_sections("social-workers", 2)[1],
        ],
        notes=["Pause here for questions."],
    )


def test_the_handout_qr_code_decodes_to_the_packs_live_address(client, pack):
    response = client.get(pack.get_handout_url())
    assert response.status_code == 200
    html = response.content.decode()
    pack_url = f"http://testserver{pack.get_absolute_url()}"
    codes = qr_codes_in(html)
    assert decode_qr(codes[0]) == pack_url
    assert f'<a href="{pack_url}">{pack_url}</a>' in html


def test_each_item_has_its_short_url_and_a_qr_code_for_it(client, pack):
    html = client.get(pack.get_handout_url()).content.decode()
    items = [i.section or i.key_message for i in pack.items.order_by("order")]
    urls = [f"http://testserver{item.get_permalink()}" for item in items]
    for url in urls:
        assert f'<a href="{url}">{url}</a>' in html
    assert [decode_qr(svg) for svg in qr_codes_in(html)[1:]] == urls


@time_machine.travel(MOMENT, tick=False)
def test_the_handout_prints_every_item_in_full_with_notes_and_the_date(client, pack):
    html = client.get(pack.get_handout_url()).content.decode()
    first = pack.items.get(order=0).section
    assert text_of(first.body_html) in text_of(html)
    assert "Pause here for questions." in html
    assert "Printed 2 March 2026." in text_of(html)


def test_the_handout_is_never_stored_by_a_shared_cache(client, pack):
    response = client.get(pack.get_handout_url())
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert response.cookies == {}


def test_the_qr_codes_need_no_inline_style_or_script_under_the_strict_csp(client, pack):
    html = client.get(pack.get_handout_url()).content.decode()
    assert len(qr_codes_in(html)) == 4
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"<script(?![^>]*\ssrc=)", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_an_unavailable_item_gets_no_link_or_qr_code(client, pack):
    section = pack.items.get(order=0).section
    section.status = Status.DRAFT
    section.save()
    html = client.get(pack.get_handout_url()).content.decode()
    assert section.get_permalink() not in html
    assert len(qr_codes_in(html)) == 3


# ---- the handout's references, trainer and page numbers (issue 17, item 8) --------------------


def test_the_handout_ends_with_the_works_its_items_cite_each_once(client, pack):
    from briefings.models import Citation, Reference
    from briefings.pages import CITED_KEY_RE

    entries_html = [
        (i.section.body_html if i.section else i.key_message.text_html)
        for i in pack.items.order_by("order")
    ]
    children = [
        c.body_html
        for i in pack.items.filter(section__isnull=False)
        for c in i.section.children.all()
    ]
    keys = {k for html in entries_html + children for k in CITED_KEY_RE.findall(html)}
    assert keys, "the fixture pack should cite something"
    html = client.get(pack.get_handout_url()).content.decode()
    references = html.split('id="handout-references-heading">References</h2>')[1]
    listed = re.findall(r'<li id="ref-([^"]+)">', references)
    assert sorted(listed) == sorted(keys)
    # Each as a published reference list prints it, word for word.
    for key in keys:
        printed = Citation.objects.filter(reference=Reference.objects.get(key=key), listed=True)
        assert any(text_of(c.entry_html) in text_of(references) for c in printed), key


def test_the_handout_names_its_trainer_and_their_contact_line(client, pack, trainer):
    html = client.get(pack.get_handout_url()).content.decode()
    # Without a name set, the handout names no one (tests/packs/test_trainer_name.py).
    assert "Prepared by" not in html
    trainer.first_name, trainer.last_name = "Ada", "Byrne"
    trainer.save()
    pack.contact = "ada.byrne@example.org <b>"
    pack.save()
    html = client.get(pack.get_handout_url()).content.decode()
    assert (
        'Prepared by Ada Byrne<br><span class="handout-contact">ada.byrne@example.org &lt;b&gt;'
        in html
    )


def test_a_trainer_sets_the_contact_line_with_the_packs_details(trainer_client, pack):
    response = trainer_client.post(
        pack.get_edit_url(),
        {
            "title": pack.title,
            "introduction": "",
            "visibility": "unlisted",
            "contact": "07700 900123",
        },
    )
    assert response.status_code == 302
    pack.refresh_from_db()
    assert pack.contact == "07700 900123"
    assert "07700 900123" in trainer_client.get(pack.get_handout_url()).content.decode()

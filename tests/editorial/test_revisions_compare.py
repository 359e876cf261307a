"""Comparing two revisions of a document: readable, section by section, word by word."""

import re

from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from briefings.editorial.diff import word_diff
from briefings.models import Briefing, Role
from tests.support.admin_forms import briefing_form, row_index, save_briefing

INSERTED = "Officers should record every contact, however brief."


def _versions(briefing):
    return list(Version.objects.get_for_object(briefing).order_by("revision__date_created", "pk"))


def _compare(client, briefing, old, new):
    url = reverse("admin:briefings_briefing_compare", args=[briefing.pk])
    response = client.get(url, {"old": old, "new": new})
    assert response.status_code == 200
    return response.content.decode()


def _insert_sentence(client, briefing, section):
    first, rest = section.body.split("\n\n", 1)
    data = briefing_form(client, briefing)
    data[f"sections-{row_index(data, 'sections', 'id', section.pk)}-body"] = (
        f"{first} {INSERTED}\n\n{rest}"
    )
    save_briefing(client, briefing, data)


def test_the_compare_view_shows_an_inserted_sentence_as_inserted(editor_client):
    briefing = Briefing.objects.get(slug="police")
    section = briefing.sections.get(key="barriers-to-engagement")
    _insert_sentence(editor_client, briefing, section)

    # Follow the history's own "What changed" link for the latest save.
    history = editor_client.get(
        reverse("admin:briefings_briefing_revisions", args=[briefing.pk])
    ).content.decode()
    link = re.search(r'href="([^"]+/revisions/compare/\?[^"]+)">What changed<', history)
    page = editor_client.get(link.group(1).replace("&amp;", "&")).content.decode()

    assert f"<ins>{INSERTED}</ins>" in page
    changed = page.split('id="diff-sections"')[1]
    assert "<h3>Barriers to engagement" in changed
    assert "<del>" not in changed.split("</section>")[0]
    # The other sections are listed as unchanged, not repeated.
    others = briefing.sections.count() - 1
    assert f"{others} sections unchanged" in page
    # Readable, not stored data.
    assert '"fields"' not in page
    assert "&quot;model&quot;" not in page


def test_headings_and_document_details_that_changed_are_listed(editor_client):
    briefing = Briefing.objects.get(slug="police")
    section = briefing.sections.get(key="barriers-to-engagement")
    data = briefing_form(editor_client, briefing)
    data["title"] = "Key messages for police officers"
    data["audiences"] = [
        str(Role.objects.get(slug="police").pk),
        str(Role.objects.get(slug="multi-agency").pk),
    ]
    data["next_review_due"] = "2027-01-31"
    data[f"sections-{row_index(data, 'sections', 'id', section.pk)}-heading"] = (
        "Barriers to engaging young people"
    )
    save_briefing(editor_client, briefing, data)
    old, new = _versions(briefing)

    page = _compare(editor_client, briefing, old.pk, new.pk)

    details = page.split('id="diff-details"')[1].split("</section>")[0]
    assert re.search(r"<th scope=\"row\">Title</th><td><del>Key messages from research", details)
    assert "<ins>Key messages for police officers</ins>" in details
    assert '<th scope="row">Audiences</th><td><del>Police</del></td>' in details
    assert "<ins>Multi-agency coordinators; Police</ins>" in details
    assert "<ins>31 January 2027</ins>" in details
    assert "<h3>Barriers to <del>engagement</del> <ins>engaging young people</ins>" in page


def test_revisions_compare_in_either_order_and_against_the_document_now(editor_client):
    briefing = Briefing.objects.get(slug="police")
    section = briefing.sections.get(key="barriers-to-engagement")
    _insert_sentence(editor_client, briefing, section)
    old, new = _versions(briefing)

    forwards = _compare(editor_client, briefing, old.pk, new.pk)
    backwards = _compare(editor_client, briefing, new.pk, old.pk)
    against_now = _compare(editor_client, briefing, old.pk, "current")

    for page in (forwards, backwards, against_now):
        assert f"<ins>{INSERTED}</ins>" in page
    assert "the document as it is now" in against_now


def test_content_in_a_comparison_is_escaped(editor_client):
    briefing = Briefing.objects.get(slug="police")
    section = briefing.sections.get(key="barriers-to-engagement")
    data = briefing_form(editor_client, briefing)
    data[f"sections-{row_index(data, 'sections', 'id', section.pk)}-body"] = (
        section.body + '\n\n<script>alert("x")</script>'
    )
    save_briefing(editor_client, briefing, data)
    old, new = _versions(briefing)
    page = _compare(editor_client, briefing, old.pk, new.pk)
    assert "<ins>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</ins>" in page
    assert "<script>alert" not in page


def test_a_comparison_with_missing_or_foreign_revisions_is_refused_politely(editor_client):
    police = Briefing.objects.get(slug="police")
    other = Briefing.objects.get(slug="social-workers")
    for briefing in (police, other):
        data = briefing_form(editor_client, briefing)
        save_briefing(editor_client, briefing, data)
    url = reverse("admin:briefings_briefing_compare", args=[police.pk])
    assert editor_client.get(url, {"old": "x", "new": "1"}).status_code == 302
    foreign = _versions(other)[0]
    assert editor_client.get(url, {"old": foreign.pk, "new": "current"}).status_code == 404


def test_only_editors_may_compare(client, db):
    briefing = Briefing.objects.get(slug="police")
    url = reverse("admin:briefings_briefing_compare", args=[briefing.pk])
    response = client.get(url, {"old": 1, "new": "current"})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_word_diff_groups_a_reworded_phrase_into_one_change():
    html = word_diff("Call the duty team first.", "Speak to the young person first.")
    assert html == "<del>Call the duty team</del> <ins>Speak to the young person</ins> first."


def test_word_diff_ignores_rewrapping_and_shortens_long_unchanged_passages():
    words = " ".join(f"w{n}" for n in range(200))
    rewrapped = words.replace(" w100 ", "\nw100 ")
    assert "<ins>" not in word_diff(words, rewrapped)
    changed = words.replace(" w100 ", " w100 NEW ")
    html = word_diff(words, changed, context=10)
    assert "<ins>NEW</ins>" in html
    assert html.count("…") == 2
    assert "w0 " not in html
    assert "w91 " in html
    assert "w110" in html


def test_a_change_to_how_a_document_gives_a_work_is_shown(editor_client, tmp_path):
    """Issue 20: a citation holds the work as its document gives it; a change to that is a
    change of the document, recorded and shown like any other."""
    police = settings.BRIEFINGS_CONTENT_DIR / "police.md"
    path = tmp_path / "police.md"
    text = police.read_text()
    assert "  publisher: 'Barnardo''s: Belfast'\n" in text
    path.write_text(text.replace("  publisher: 'Barnardo''s: Belfast'\n", "  publisher: Belfast\n"))
    call_command("import_briefings", str(path), verbosity=0)
    briefing = Briefing.objects.get(slug="police")
    old, new = _versions(briefing)
    page = _compare(editor_client, briefing, old.pk, new.pk)
    citations = page.split('id="diff-citations"')[1].split("</section>")[0]
    assert "Publisher" in citations
    assert "Barnardo&#x27;s: Belfast" in citations

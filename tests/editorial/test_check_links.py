"""check_links: every link in the content must lead somewhere a reader can go."""

import urllib.error
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from briefings import links
from briefings.models import Briefing, KeyMessage, Reference, Section, Status


def _run(*args):
    out = StringIO()
    call_command("check_links", *args, stdout=out)
    return out.getvalue()


def _broken(*args):
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("check_links", *args, stdout=out)
    assert raised.value.returncode == 1
    return out.getvalue(), str(raised.value)


def _append(section, text):
    section.body += f"\n\n{text}"
    section.save()


@pytest.fixture
def section(db):
    return Section.objects.get(briefing__slug="police", key="barriers-to-engagement")


def test_the_real_content_has_no_broken_internal_links(db):
    assert "none broken" in _run()


def test_check_links_finds_a_planted_broken_internal_link(section):
    _append(section, "See [the missing guidance](/documents/no-such-document/).")

    report, error = _broken()

    assert (
        "police › Barriers to engagement: “the missing guidance” → /documents/no-such-document/"
    ) in report
    assert "no such document" in report
    assert f"/admin/briefings/section/{section.pk}/change/" in report
    assert error.endswith("1 link is broken.")


def test_anchors_permalinks_and_relative_links_are_followed(section):
    other = Section.objects.get(briefing__slug="social-workers", order=1)
    reference = Reference.objects.filter(citations__briefing__slug="police").first()
    _append(
        section,
        f"[a](/documents/police/#no-such-part) [b](/s/999999/) [c](/k/999999/) "
        f"[d](#nowhere) [e](missing-section/) [f](/themes/no-such-theme/) "
        f"[ok1]({other.get_absolute_url()}) [ok2](/documents/police/#{section.slug}) "
        f"[ok3](/s/{other.pk}/) [ok4](#key-messages) "
        f"[ok5](/references/#ref-{reference.key})",
    )
    report, error = _broken()
    assert "the page has no “#no-such-part” on it" in report
    assert "no section has this permanent link" in report
    assert "no key message has this permanent link" in report
    assert "#nowhere" in report
    assert "/documents/police/missing-section/" not in report  # shown as written:
    assert "→ missing-section/" in report
    assert "no such theme" in report
    assert "“ok" not in report
    assert error.endswith("6 links are broken.")


def test_a_citation_to_no_reference_is_reported(section):
    _append(section, "As shown ([Nobody, 1999](cite:nobody-1999)).")
    report, _ = _broken()
    assert "cite:nobody-1999" in report
    assert "this citation matches no reference of the document" in report


def test_published_content_must_not_link_to_drafts_but_drafts_may(section):
    draft = Briefing.objects.get(slug="social-workers")
    draft.status = Status.DRAFT
    draft.save()
    _append(section, "[draft](/documents/social-workers/)")
    report, _ = _broken()
    assert "the document is not published, so readers cannot open it" in report

    # A link from the draft itself to the draft is fine: they are published together.
    section.body = section.body.rsplit("\n\n", 1)[0]
    section.save()
    message = KeyMessage.objects.filter(briefing=draft).first()
    message.text += " See [the rest](/documents/social-workers/#key-messages)."
    message.save()
    assert "none broken" in _run()


def test_external_links_are_checked_only_when_asked(section, monkeypatch):
    calls = []

    def fake_urlopen(request, timeout):
        calls.append(request.full_url)
        raise urllib.error.HTTPError(request.full_url, 404, "Not Found", {}, None)

    monkeypatch.setattr(links.urllib.request, "urlopen", fake_urlopen)
    _append(section, "[gone](https://example.org/gone)")

    assert "none broken" in _run()
    assert calls == []

    report, _ = _broken("--external")
    assert "https://example.org/gone" in report
    assert "the site answered 404 Not Found" in report
    assert "https://example.org/gone" in calls


def test_each_documents_own_address_for_a_work_is_checked(section, monkeypatch):
    """Issue 20: a page shows its citation's web address, so that is what is checked."""
    from briefings.models import Citation

    checked = []

    def fake_urlopen(request, timeout):
        checked.append(request.full_url)
        raise urllib.error.HTTPError(request.full_url, 404, "Not Found", {}, None)

    monkeypatch.setattr(links.urllib.request, "urlopen", fake_urlopen)
    citation = Citation.objects.filter(briefing__slug="multi-agency-working").first()
    citation.url = "https://example.org/maw-copy"
    citation.save()
    report, _ = _broken("--external")
    assert f"multi-agency-working › reference {citation.local_key}" in report
    assert "https://example.org/maw-copy" in checked

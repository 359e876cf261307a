"""The importer renders every text before its write transaction, and the links come out the same
as rendering inside it would make them (citations the import itself writes included)."""

import shutil
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from briefings.markdown import render_markdown
from briefings.models import Briefing, Citation, KeyMessage, Reference, Section
from tests.support.rendering import watch_rendering


def _import(*args):
    out = StringIO()
    call_command("import_briefings", *args, stdout=out, stderr=out)
    return out.getvalue()


def _as_rendered_now():
    """Every stored HTML next to what rendering it again, against the database, gives."""
    stored, fresh = [], []
    for briefing in Briefing.objects.all():
        resolver = briefing.citation_resolver()
        stored.append(briefing.intro_html)
        fresh.append(render_markdown(briefing.intro, resolver=resolver).html)
        for section in Section.objects.filter(briefing=briefing):
            rendered = render_markdown(section.body, resolver=resolver)
            stored.append(
                (section.body_html, sorted(section.cited_references.values_list("pk", flat=True)))
            )
            fresh.append((rendered.html, sorted(rendered.cited_reference_ids)))
        for message in KeyMessage.objects.filter(briefing=briefing):
            stored.append(message.text_html)
            fresh.append(render_markdown(message.text, resolver=resolver, inline=True).html)
    return stored, fresh


@pytest.mark.django_db
def test_importing_into_an_empty_database_renders_everything_before_the_transaction():
    Briefing.objects.all().delete()
    Reference.objects.all().delete()
    with watch_rendering() as renders:
        _import()
    # Each distinct text is rendered (once: the same citation entry in two documents is one).
    texts = {*Section.objects.values_list("body", flat=True)}
    texts |= {*KeyMessage.objects.values_list("text", flat=True)}
    texts |= {*Citation.objects.values_list("entry", flat=True)}
    assert texts <= {r.text for r in renders}
    assert [r.text[:60] for r in renders if r.in_transaction] == []
    stored, fresh = _as_rendered_now()
    assert stored == fresh
    # Citations linked, including those to another document's references ("police/coy-2009").
    social = "".join(
        Section.objects.filter(briefing__slug="social-workers").values_list("body_html", flat=True)
    )
    assert social.count('class="citation"') > 20
    assert "citation-unresolved" not in social


@pytest.mark.django_db
def test_an_import_that_changes_texts_and_references_renders_before_the_transaction(tmp_path):
    content = tmp_path / "briefings"
    shutil.copytree(settings.BRIEFINGS_CONTENT_DIR, content)
    police = content / "police.md"
    text = police.read_text()
    # A cited work the import adds (a new title is a new work, linked under a new anchor), and a
    # changed heading.
    old_title = "  title: What do we know about child sexual abuse and policing"
    text = text.replace(old_title, "  title: Revised edition. What do we know about", 1)
    text = text.replace("## Barriers to engagement {", "## Barriers to engaging {")
    police.write_text(text)
    with watch_rendering() as renders:
        output = _import(str(content))
    assert "recorded a revision of 1 document " in output
    assert renders
    assert [r.text[:60] for r in renders if r.in_transaction] == []
    stored, fresh = _as_rendered_now()
    assert stored == fresh
    reference = Citation.objects.get(briefing__slug="police", local_key="allnock-2015").reference
    assert reference.title.startswith("Revised edition.")
    cited = Section.objects.filter(briefing__slug="police", cited_references=reference)
    assert cited.exists()
    assert all(f"#ref-{reference.key}" in section.body_html for section in cited)


@pytest.mark.django_db
def test_an_import_that_changes_nothing_renders_nothing_inside_the_transaction():
    with watch_rendering() as renders:
        assert "; no changes" in _import()
    assert [r.text[:60] for r in renders if r.in_transaction] == []

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from reversion.models import Revision

from briefings.editorial import services
from briefings.editorial.selectors import document_versions
from briefings.models import Briefing, Citation, KeyMessage, Reference, Section
from tests.support.fingerprint import content_fingerprint

CONTENT = Path(settings.BRIEFINGS_CONTENT_DIR)


def run(*args):
    out = StringIO()
    call_command("import_briefings", *args, stdout=out, stderr=out)
    return out.getvalue()


def snapshot():
    return {
        "briefings": Briefing.objects.count(),
        "sections": sorted(Section.objects.values_list("pk", "updated")),
        "key messages": KeyMessage.objects.count(),
        "references": Reference.objects.count(),
        "citations": Citation.objects.count(),
    }


@pytest.fixture
def content_copy(tmp_path):
    target = tmp_path / "briefings"
    shutil.copytree(CONTENT, target)
    return target


def test_a_second_import_changes_nothing_and_creates_no_duplicates(db):
    before = snapshot()
    assert run().strip().endswith("no changes.")
    assert snapshot() == before
    assert not Revision.objects.exists()


def police_renamed(content_copy):
    police = content_copy / "police.md"
    police.write_text(
        police.read_text().replace("## Barriers to engagement {", "## Barriers to engaging {")
    )


def test_an_import_that_changes_a_document_can_be_undone_in_its_history(db, content_copy):
    briefing = Briefing.objects.get(slug="police")
    police_renamed(content_copy)
    output = run(str(content_copy))
    assert "recorded a revision of 1 document in their history" in output
    latest, baseline = document_versions(briefing)
    assert latest.revision.comment == "Imported from police.md."
    assert baseline.revision.comment.startswith("Starting point")
    assert not Revision.objects.exclude(pk__in=[latest.revision_id, baseline.revision_id]).exists()
    admin = get_user_model().objects.create_superuser("importer-admin", "a@example.org", "pw")
    services.revert(briefing, baseline, admin)
    section = Section.objects.get(briefing=briefing, key="barriers-to-engagement")
    assert section.heading == "Barriers to engagement"
    # Importing the same files again changes the document back, and says so once more.
    assert "recorded a revision of 1 document" in run(str(content_copy))
    assert run(str(content_copy)).strip().endswith("no changes.")
    assert len(document_versions(briefing)) == 4


def test_a_dry_run_reports_what_would_change_and_writes_nothing(db, content_copy):
    police = content_copy / "police.md"
    police.write_text(
        police.read_text().replace("## Barriers to engagement {", "## Barriers to engaging {")
    )
    before = snapshot()
    output = run(str(content_copy), "--dry-run")
    assert "would have updated 1 section" in output
    assert "would have recorded a revision of 1 document" in output
    assert snapshot() == before
    assert not Revision.objects.exists()
    assert Section.objects.filter(heading="Barriers to engagement").exists()


def test_editing_a_heading_keeps_the_sections_identity_and_its_links(client, db, content_copy):
    section = Section.objects.get(briefing__slug="police", key="barriers-to-engagement")
    police = content_copy / "police.md"
    police.write_text(
        police.read_text().replace("## Barriers to engagement {", "## Barriers to engaging {")
    )
    assert "updated 1 section" in run(str(content_copy))
    section.refresh_from_db()
    assert (section.heading, section.slug) == ("Barriers to engaging", "barriers-to-engaging")
    assert client.get(f"/s/{section.pk}/")["Location"] == "/documents/police/barriers-to-engaging/"
    old = client.get("/documents/police/barriers-to-engagement/")
    assert (old.status_code, old["Location"]) == (301, "/documents/police/barriers-to-engaging/")


def test_a_malformed_file_is_rejected_with_file_and_line_and_nothing_is_written(db, content_copy):
    police = content_copy / "police.md"
    lines = police.read_text().splitlines()
    heading = next(i for i, line in enumerate(lines) if line.startswith("## Disrupting offenders"))
    lines[heading] = lines[heading].replace("themes=", "themes=no-such-theme,")
    # A good change elsewhere in the same batch must not be written either.
    first_km = next(i for i, line in enumerate(lines) if line.startswith("- Exploitation can"))
    lines[first_km] = lines[first_km].replace("Exploitation can", "Exploitation may")
    police.write_text("\n".join(lines) + "\n")
    before = snapshot()
    with pytest.raises(CommandError, match="1 problem"):
        call_command(
            "import_briefings", str(content_copy), stdout=StringIO(), stderr=(err := StringIO())
        )
    assert f"{police}:{heading + 1}: unknown theme 'no-such-theme'" in err.getvalue()
    assert snapshot() == before
    assert not KeyMessage.objects.filter(text__startswith="Exploitation may").exists()


def test_broken_yaml_is_reported_with_its_line(db, tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: A\nslug: [unclosed\nkind: factsheet\n---\n\nText.\n")
    with pytest.raises(CommandError):
        call_command("import_briefings", str(bad), stdout=StringIO(), stderr=(err := StringIO()))
    assert f"{bad}:4: front matter is not valid YAML" in err.getvalue()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("## A heading\n\nText.\n", ":7: a section heading must end with {key=... themes=...}"),
        (
            "## A {key=a themes=understanding-cse}\n\n[x](cite:nope)\n",
            ":7: citation 'cite:nope' is not in this file's references",
        ),
        ("## Key messages\n\n- No attributes here.\n", ":9: a key message must end with"),
        ("#### Too deep {key=a themes=understanding-cse}\n", ":7: use '##' for sections"),
        (
            "## A {key=a themes=understanding-cse}\n\n## B {key=a themes=understanding-cse}\n",
            ":9: duplicate section key 'a'",
        ),
    ],
)
def test_content_mistakes_name_the_file_and_line(db, tmp_path, body, message):
    path = tmp_path / "new.md"
    path.write_text(
        "---\ntitle: New\nslug: new\nkind: factsheet\naudiences: [police]\n---\n" + body
    )
    with pytest.raises(CommandError):
        call_command("import_briefings", str(path), stdout=StringIO(), stderr=(err := StringIO()))
    assert f"{path}{message}" in err.getvalue()


def test_an_unknown_audience_is_reported(db, tmp_path):
    path = tmp_path / "new.md"
    path.write_text("---\ntitle: New\nslug: new\nkind: factsheet\naudiences: [pilots]\n---\n")
    with pytest.raises(CommandError):
        call_command("import_briefings", str(path), stdout=StringIO(), stderr=(err := StringIO()))
    assert f"{path}:5: unknown audience 'pilots'" in err.getvalue()


def test_export_then_import_is_a_no_op(db, tmp_path):
    for briefing in Briefing.objects.all():
        call_command(
            "export_briefing",
            briefing.slug,
            output=str(tmp_path / f"{briefing.slug}.md"),
            stderr=StringIO(),
        )
    shutil.copy(CONTENT / "themes.yaml", tmp_path / "themes.yaml")
    before = snapshot()
    assert run(str(tmp_path)).strip().endswith("no changes.")
    assert snapshot() == before


def test_the_worked_example_in_the_format_guide_imports(db, tmp_path):
    guide = (Path(settings.BASE_DIR) / "docs" / "content-format.md").read_text()
    example = guide.split("## Worked example")[1].split("```markdown\n", 1)[1].rsplit("```", 1)[0]
    path = tmp_path / "schools.md"
    path.write_text(example)
    output = run(str(path))
    assert "created 1 document" in output
    schools = Briefing.objects.get(slug="schools")
    assert schools.status == "draft"
    assert schools.sections.get().quotes.get().attribution == "Young person A"
    # Its citation is recognised as the work the police briefing already cites.
    assert (
        schools.citations.get().reference
        == Citation.objects.get(briefing__slug="police", local_key="coy-2009").reference
    )


def test_removing_a_section_from_the_file_deletes_it(db, content_copy):
    police = content_copy / "police.md"
    text = police.read_text()
    start = text.index("## Preventing CSE and early identification")
    police.write_text(text[:start])
    assert "deleted 1 section" in run(
        str(content_copy / "police.md"), str(content_copy / "themes.yaml")
    )
    assert not Section.objects.filter(briefing__slug="police", key="preventing-cse").exists()


DOCUMENT_FILES = sorted(path.name for path in CONTENT.glob("*.md"))


@pytest.mark.parametrize("name", DOCUMENT_FILES)
def test_importing_one_unchanged_file_changes_nothing(db, name):
    """Issue 20: one document's import never changes another's shared rows, so an unchanged
    file reports no changes, writes nothing and records no revision."""
    before = content_fingerprint()
    path = str(CONTENT / name)
    assert run(path, "--dry-run") == "Checked 1 file; no changes (dry run, nothing written).\n"
    assert run(path) == "Checked 1 file; no changes.\n"
    assert content_fingerprint() == before
    assert not Revision.objects.exists()


def test_the_report_says_what_changed_in_plain_words(db, content_copy):
    police_renamed(content_copy)
    path = str(content_copy / "police.md")
    assert run(path, "--dry-run").splitlines() == [
        "Checked 1 file.",
        "Dry run, nothing written: would have updated 1 section",
        "Dry run, nothing written: would have recorded a revision of 1 document in their history",
    ]
    assert run(path).splitlines() == [
        "Checked 1 file.",
        "updated 1 section",
        "recorded a revision of 1 document in their history",
    ]
    assert run(str(content_copy)) == "Checked 6 files; no changes.\n"


def test_problems_are_counted_in_plain_words(db, tmp_path):
    path = tmp_path / "new.md"
    path.write_text("---\ntitle: New\nslug: new\nkind: nonsense\naudiences: [pilots]\n---\n")
    with pytest.raises(CommandError, match=r"^2 problems found; nothing was written\.$"):
        call_command("import_briefings", str(path), stdout=StringIO(), stderr=StringIO())
    path.write_text("---\ntitle: New\nslug: new\nkind: nonsense\naudiences: [police]\n---\n")
    with pytest.raises(CommandError, match=r"^1 problem found; nothing was written\.$"):
        call_command("import_briefings", str(path), stdout=StringIO(), stderr=StringIO())


def test_documents_citing_another_follow_its_entries(client, db, content_copy):
    """social-workers cites police's entries (cite:police/coy-2009): when police's entry names
    another work, social-workers' links lead to that work, without importing social-workers."""
    police = content_copy / "police.md"
    text = police.read_text()
    assert "- key: coy-2009\n" in text
    police.write_text(
        text.replace("- key: coy-2009\n", "- key: coy-2009\n  work: coy-2009-moved\n")
    )
    output = run(str(police))
    assert "sections re-rendered" in output
    page = client.get("/documents/social-workers/").content.decode()
    assert 'href="/references/#ref-coy-2009-moved"' in page
    assert "#ref-coy-2009-moved-around" not in page
    assert run(str(police)) == "Checked 1 file; no changes.\n"

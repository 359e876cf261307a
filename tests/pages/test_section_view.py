import re

from briefings.models import Citation, Section, Status


def test_a_section_has_its_own_shareable_page(client, db):
    response = client.get("/documents/police/barriers-to-engagement/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<h1 id="barriers-to-engagement">Barriers to engagement</h1>' in page
    assert "<title>Barriers to engagement · Key messages from research" in page
    assert 'aria-current="page">Barriers to engagement</a>' in page


def test_previous_and_next_follow_the_document_order(client, db):
    page = client.get("/documents/police/barriers-to-engagement/").content.decode()
    assert 'rel="prev" href="/documents/police/child-sexual-exploitation/"' in page
    assert 'rel="next" href="/documents/police/disrupting-offenders/"' in page


def test_related_sections_come_from_other_documents_most_shared_themes_first(client, db):
    section = Section.objects.get(briefing__slug="police", key="barriers-to-engagement")
    response = client.get(section.get_absolute_url())
    related = response.context["related"]
    assert related
    assert all(item.briefing_id != section.briefing_id for item in related)
    shared = [item.shared for item in related]
    assert shared == sorted(shared, reverse=True)
    own = {t.id for t in section.themes.all()}
    assert {t.id for t in related[0].themes.all()} & own
    page = response.content.decode()
    related_html = page.split('id="related-heading"')[1]
    # Each related section names its document and who that document is for.
    for item in related:
        audiences = ", ".join(r.name.lower() for r in item.briefing.audiences.all())
        assert f"{item.briefing.short_name} · for {audiences}</p>" in related_html, item.heading


def test_a_draft_section_is_not_found_and_not_related(client, db):
    section = Section.objects.get(briefing__slug="social-workers", key="invitation-to-tell")
    section.status = Status.DRAFT
    section.save()
    assert client.get(section.get_absolute_url()).status_code == 404
    assert client.get(f"/s/{section.pk}/").status_code == 404
    other = Section.objects.get(briefing__slug="police", key="barriers-to-engagement")
    related = client.get(other.get_absolute_url()).context["related"]
    assert section.pk not in [item.pk for item in related]


def test_sub_sections_are_shown_on_their_parents_page(client, db):
    parent = Section.objects.get(briefing__slug="multi-agency-working", key="integrated-approach")
    page = client.get(parent.get_absolute_url()).content.decode()
    for child in parent.children.all():
        assert f'<h2 id="{child.slug}">{child.heading}</h2>' in page


def test_the_breadcrumbs_name_the_document_by_its_short_title(client, db):
    page = client.get("/documents/police/barriers-to-engagement/?role=police").content.decode()
    crumbs = page.split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert '<a href="/documents/police/?role=police">Police</a>' in crumbs
    assert '<li aria-current="page">Barriers to engagement</li>' in crumbs
    meta = page.split('<dl class="section-meta">')[1].split("</dl>")[0]
    assert "Key messages from research on child sexual exploitation: Police</a>" in meta


def test_a_section_says_when_its_document_was_last_updated_and_reviewed(client, db):
    page = client.get("/documents/police/barriers-to-engagement/").content.decode()
    meta = page.split('<dl class="section-meta">')[1].split("</dl>")[0]
    assert "<dt>Last updated</dt><dd>No updates since publication</dd>" in meta
    assert "<dt>Last reviewed</dt><dd>Not recorded</dd>" in meta


def test_a_section_lists_the_works_it_cites_as_its_document_prints_them(client, db):
    section = Section.objects.get(briefing__slug="police", key="barriers-to-engagement")
    page = client.get(section.get_absolute_url()).content.decode()
    body = page.split('<div class="prose">')[1].split('<section class="references"')[0]
    cited = set(re.findall(r'class="citation" href="/documents/police/#(ref-[^"]+)"', body))
    assert cited
    listed = page.split('id="references">References cited in this section</h2>')[1]
    listed = listed.split("</section>")[0]
    assert set(re.findall(r'<li id="(ref-[^"]+)">', listed)) == cited
    assert "Bartlett" in listed
    assert "as printed in" not in listed  # the police list's own entries
    assert listed.index("Allnock") < listed.index("Beckett")  # by author, as printed lists are
    footer = page.split('<footer class="print-footer">')[1].split("</footer>")[0]
    assert f"http://testserver/s/{section.pk}/" in footer


def test_a_section_of_a_document_without_a_list_shows_the_entries_its_citations_name(client, db):
    section = Section.objects.get(briefing__slug="social-workers", key="invitation-to-tell")
    named = re.findall(r"\(cite:([a-z0-9-]+)/([a-z0-9-]+)\)", section.body)
    assert len({slug for slug, _ in named}) >= 2  # it names more than one document's list
    page = client.get(section.get_absolute_url()).content.decode()
    listed = page.split("References cited in this section</h2>")[1].split("</section>")[0]
    for slug, key in named:
        citation = Citation.objects.get(briefing__slug=slug, local_key=key)
        entry = listed.split(f'<li id="ref-{citation.reference.key}">')[1].split("</li>")[0]
        assert citation.entry_html in entry
        assert f"(as printed in the reference list of {citation.briefing.title})" in entry


def test_the_section_page_uses_a_small_fixed_number_of_queries(
    client, db, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        client.get("/documents/police/barriers-to-engagement/")

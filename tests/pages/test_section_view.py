from briefings.models import Section, Status


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
        audiences = ", ".join(r.name for r in item.briefing.audiences.all())
        assert f"{item.briefing.title} · for {audiences}</p>" in related_html, item.heading


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

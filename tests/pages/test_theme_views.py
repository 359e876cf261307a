from briefings.models import Section, Status


def test_a_theme_page_gathers_everything_on_it_grouped_by_document(client, db):
    response = client.get("/themes/parents-and-carers/")
    groups = response.context["groups"]
    assert len(groups) >= 2
    for group in groups:
        for section in group.sections:
            assert section.briefing_id == group.briefing.id
            assert section.themes.filter(slug="parents-and-carers").exists()
    page = response.content.decode()
    assert 'href="/documents/police/working-with-other-services/"' in page


def test_a_theme_page_filters_by_role_in_the_url(client, db):
    response = client.get("/themes/parents-and-carers/?role=police")
    audiences = {r.slug for g in response.context["groups"] for r in g.briefing.audiences.all()}
    assert "police" in audiences
    assert "social-workers" not in audiences
    assert '<option value="police" selected>' in response.content.decode()


def test_the_compare_view_puts_each_roles_guidance_side_by_side(client, db):
    response = client.get("/themes/disrupting-perpetrators/compare/")
    columns = {c.role.slug: c for c in response.context["columns"]}
    assert {"police", "social-workers", "multi-agency", "health-commissioners"} <= set(columns)
    police_docs = {g.briefing.slug for g in columns["police"].groups}
    assert "police" in police_docs
    assert "social-workers" not in police_docs


def test_the_themes_overview_is_a_theme_by_document_table(client, db):
    response = client.get("/themes/")
    matrix = response.context["matrix"]
    assert len(matrix.briefings) == 5
    assert len(matrix.rows) >= 12
    for row in matrix.rows:
        assert len(row.cells) == 5
        assert sum(1 for n in row.cells if n) >= 2  # every theme spans documents
    page = response.content.decode()
    assert "<caption" in page
    assert 'scope="col"' in page
    assert 'scope="row"' in page
    assert 'class="cell level-3"' in page


def test_theme_counts_ignore_draft_sections(client, db):
    def cell(response):
        matrix = response.context["matrix"]
        column = [b.slug for b in matrix.briefings].index("police")
        return next(r for r in matrix.rows if r.theme.slug == "trafficking").cells[column]

    before = cell(client.get("/themes/"))
    section = Section.objects.get(briefing__slug="police", key="disrupting-offenders")
    section.status = Status.DRAFT
    section.save()
    assert cell(client.get("/themes/")) == before - 1


def test_an_unknown_theme_is_not_found(client, db):
    assert client.get("/themes/nothing/").status_code == 404
    assert client.get("/themes/nothing/compare/").status_code == 404

import re

import pytest

from briefings.models import Briefing, KeyMessage, Role, Section, Status, Theme
from tests.support.factories import make_briefing
from tests.support.queries import queries_for


def _sections(page, anchor):
    """The HTML of one role's part of a theme or compare page."""
    return page.split(f'id="{anchor}"', 1)[1].split('class="role-guidance', 1)[0]


def _column(page, anchor):
    return page.split(f'id="{anchor}"', 1)[1].split('class="compare-column', 1)[0]


def _carrying(theme_slug):
    """What the content says carries the theme, per document slug (published only)."""
    theme = Theme.objects.get(slug=theme_slug)
    sections = Section.objects.published().filter(themes=theme).select_related("briefing")
    messages = KeyMessage.objects.published().filter(themes=theme).select_related("briefing")
    by_doc = {}
    for item in [*sections, *messages]:
        by_doc.setdefault(item.briefing.slug, []).append(item)
    return by_doc


def test_a_theme_page_gathers_every_passage_on_it_grouped_by_profession(client, db):
    response = client.get("/themes/parents-and-carers/")
    page = response.content.decode()
    guidance = response.context["guidance"]
    assert [g.role.slug for g in guidance] == [
        "police",
        "social-workers",
        "multi-agency",
        "health-commissioners",
    ]
    carrying = _carrying("parents-and-carers")
    shown = {group.briefing.slug for g in guidance for group in g.groups}
    assert shown == set(carrying)
    for g in guidance:
        for group in g.groups:
            for section in group.sections:
                assert section.themes.filter(slug="parents-and-carers").exists()
    assert '<h2 id="guidance-police-heading">Guidance for police</h2>' in page
    assert 'href="/documents/police/working-with-other-services/"' in page


def test_viewing_as_a_role_puts_its_guidance_first_and_still_shows_everyone_elses(client, db):
    response = client.get("/themes/barriers-to-disclosure/?role=social-workers")
    page = response.content.decode()
    guidance = response.context["guidance"]
    assert guidance[0].role.slug == "social-workers"
    assert guidance[0].is_viewer
    # Every document that carries the theme is still shown, whatever the role.
    shown = [group.briefing.slug for g in guidance for group in g.groups]
    assert sorted(shown) == sorted(_carrying("barriers-to-disclosure"))
    assert len(shown) == len(set(shown))  # each document once
    own = _sections(page, "guidance-social-workers")
    assert 'href="/documents/social-workers/an-invitation-to-tell/?role=social-workers"' in own
    others = page.split("What other professions’ guidance says", 1)[1]
    assert '<h2 id="guidance-police-heading">Guidance for police</h2>' in others
    assert 'href="/documents/police/barriers-to-engagement/?role=social-workers"' in others
    assert page.index("guidance-social-workers-heading") < page.index("guidance-police-heading")


def test_a_role_whose_guidance_misses_the_theme_sees_the_other_professions_not_a_dead_end(
    client, db
):
    page = client.get("/themes/health-needs/?role=police").content.decode()
    police = _sections(page, "guidance-police")
    assert "No guidance for police carries this theme yet." in police
    health = _sections(page, "guidance-health-commissioners")
    assert "Guidance for health commissioners" in health
    assert (
        'href="/documents/commissioning-health-care-services/supporting-health-care-needs/'
        '?role=police"' in health
    )
    assert "Sexually exploited young people will access a broad range of" in health


def test_the_role_choice_is_never_changed_silently_on_a_theme_page(client, db):
    page = client.get("/themes/barriers-to-disclosure/?role=police").content.decode()
    # No filter that would quietly switch "Viewing as": only in-page links to each profession.
    assert '<select id="role-filter"' not in page
    assert "You are viewing as police" in page
    nav = page.split('id="on-this-page-heading"', 1)[1].split("</nav>", 1)[0]
    for slug in ["police", "social-workers", "multi-agency", "health-commissioners"]:
        assert f'href="#guidance-{slug}"' in nav
    assert "Viewing as: <strong>Police</strong>" in page


def test_a_document_for_two_roles_is_shown_once_and_the_other_role_says_where(client, db):
    page = client.get("/themes/understanding-cse/").content.decode()
    assert page.count('id="doc-cse-factsheet"') == 1
    multi_agency = _sections(page, "guidance-multi-agency")
    assert 'href="#doc-cse-factsheet">CSE factsheet</a>, shown under “Guidance for police”' in (
        multi_agency
    )


def test_the_compare_view_shows_what_each_professions_passages_say(client, db):
    response = client.get("/themes/barriers-to-disclosure/compare/")
    page = response.content.decode()
    assert "wide" not in page.split("<body", 1)[1].split(">", 1)[0]  # the usual page width
    roles = [g.role.slug for g in response.context["guidance"]]
    assert roles == ["police", "social-workers", "multi-agency", "health-commissioners"]
    carrying = _carrying("barriers-to-disclosure")
    for slug, items in carrying.items():
        assert page.count(f'id="doc-{slug}"') == 1  # each document once
        for item in items:
            if isinstance(item, Section):
                assert f'href="{item.get_absolute_url()}"' in page
    # A section shows its heading and its first lines, linked.
    police = _column(page, "guidance-police")
    assert '<a class="passage-heading" href="/documents/police/barriers-to-engagement/">' in police
    assert "Sexually exploited young people rarely approach the police directly" in police
    social = _column(page, "guidance-social-workers")
    assert "Anxiety, shame and guilt are powerful barriers" in social
    health = _column(page, "guidance-health-commissioners")
    assert "No guidance for health commissioners carries this theme yet." in health


def test_the_compare_view_keeps_the_role_and_puts_it_first(client, db):
    response = client.get("/themes/barriers-to-disclosure/compare/?role=multi-agency")
    page = response.content.decode()
    assert response.context["guidance"][0].role.slug == "multi-agency"
    assert "Viewing as: <strong>Multi-agency coordinators</strong>" in page
    assert 'href="/themes/barriers-to-disclosure/?role=multi-agency"' in page
    assert 'href="/documents/police/barriers-to-engagement/?role=multi-agency"' in page
    theme_page = client.get("/themes/barriers-to-disclosure/?role=multi-agency").content.decode()
    assert 'href="/themes/barriers-to-disclosure/compare/?role=multi-agency"' in theme_page


def test_key_messages_are_numbered_as_their_document_numbers_them(client, db):
    page = client.get("/themes/barriers-to-disclosure/compare/").content.decode()
    police = list(KeyMessage.objects.filter(briefing__slug="police").order_by("order"))
    for number, message in enumerate(police, 1):
        if message.themes.filter(slug="barriers-to-disclosure").exists():
            link = f'href="/documents/police/#{message.anchor}">Key message {number}<'
            assert link in page


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


def test_with_a_role_the_matrix_keeps_every_document_and_puts_the_roles_first(client, db):
    matrix = client.get("/themes/?role=social-workers").context["matrix"]
    slugs = [b.slug for b in matrix.briefings]
    assert len(slugs) == Briefing.objects.published().count()
    assert slugs[0] == "social-workers"
    assert [b.is_own for b in matrix.briefings] == [True] + [False] * (len(slugs) - 1)


def test_matrix_cells_link_to_the_passages_they_count(client, db):
    page = client.get("/themes/?role=police").content.decode()
    links = re.findall(r'<td class="cell[^"]*"><a href="([^"]+)">(\d+)<', page)
    assert len(links) > 20
    for href, count in links[:12]:
        path, fragment = href.split("#")
        assert path.endswith("?role=police")
        theme_page = client.get(path).content.decode()
        assert f'id="{fragment}"' in theme_page
        slug = fragment.removeprefix("doc-")
        group = theme_page.split(f'id="{fragment}"', 1)[1].split("</article>", 1)[0]
        shown = group.count("<li>")
        assert shown == int(count), (href, shown, count)
        assert Briefing.objects.filter(slug=slug).exists()


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


def test_a_role_with_no_documents_still_sees_every_profession(client, db):
    page = client.get("/themes/going-missing/?role=schools").content.decode()
    assert "No guidance for professionals in schools carries this theme yet." in page
    assert "Guidance for police" in page


def test_an_unknown_theme_is_not_found(client, db):
    assert client.get("/themes/nothing/").status_code == 404
    assert client.get("/themes/nothing/compare/").status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/themes/{theme}/", "/themes/{theme}/?role=police", "/themes/{theme}/compare/", "/themes/"],
)
def test_theme_pages_use_a_fixed_number_of_queries_however_much_is_on_the_theme(client, db, path):
    def queries(theme):
        return queries_for(client, path.format(theme=theme))

    before = queries("trafficking")
    make_briefing("many", sections=60, themes=("trafficking",))
    make_briefing("more", sections=30, role="social-workers", themes=("trafficking",))
    assert queries("trafficking") == before
    assert before <= 7


def test_roles_without_published_documents_get_no_column(client, db):
    guidance = client.get("/themes/trafficking/").context["guidance"]
    assert "schools" not in {g.role.slug for g in guidance}
    assert Role.objects.filter(slug="schools").exists()

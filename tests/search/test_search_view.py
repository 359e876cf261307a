"""The search page: results that deep-link, filters with counts, the reader's role, pagination,
spelling help, acronyms, published content only, and a bounded number of queries."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from briefings.models import Briefing, KeyMessage, Role, SearchEntry, Section, Status
from briefings.search.engines import backend_for
from briefings.search.query import parse
from briefings.search.results import Filters
from portal.caching import bump_content_version
from tests.support.search import make_document, outcome_of, run_search

pytestmark = pytest.mark.django_db

EXPANSION = {"child", "adolescent", "mental", "health", "services"}


def marked_words(html):
    """The words inside <mark>, lower-cased (engines mark a phrase whole or word by word)."""
    return {w.lower() for span in re.findall(r"<mark>(.*?)</mark>", html) for w in span.split()}


def test_the_search_page_without_a_query_offers_a_labelled_form_and_no_results(client):
    response = client.get("/search/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="search-q">' in html
    assert 'id="search-q" name="q"' in html
    assert "results-heading" not in html


def test_the_count_is_in_the_heading_the_status_line_and_the_page_title(client):
    response = client.get("/search/", {"q": "victimless prosecutions"})
    html = response.content.decode()
    total = response.context["outcome"].total
    assert total >= 1
    assert f"<title>{total} result" in html
    assert f'<h2 id="results-heading">{total} result' in html
    assert 'role="status">Showing 1 to' in html


def test_a_section_result_deep_links_to_its_section_with_its_document_and_roles(client):
    outcome = outcome_of(q="victimless prosecutions")
    hit = outcome.hits[0]
    assert hit.kind == "section"
    assert hit.url == "/documents/police/investigating-cse/"
    assert hit.document_label == "Police"
    assert hit.document_url == "/documents/police/"
    assert hit.roles == ["Police"]


def test_matched_words_are_marked_in_the_title_and_snippet_including_other_forms(client):
    outcome = outcome_of(q="attachment")
    hit = outcome.hits[0]
    assert hit.url == "/documents/cse-factsheet/the-significance-of-attachment/"
    assert "<mark>attachment</mark>" in hit.title
    assert "<mark>Attachment</mark>" in hit.snippet
    stemmed = outcome_of(q="disrupting ")
    assert any("<mark>disruption</mark>" in h.snippet.lower() for h in stemmed.hits)


def test_the_last_word_as_a_prefix_still_finds_other_forms_of_the_whole_word(client):
    whole, prefix = outcome_of(q="disrupting "), outcome_of(q="disrupting")
    assert prefix.total >= whole.total > 0
    assert any("<mark>disruption</mark>" in h.snippet.lower() for h in prefix.hits)


def test_a_key_message_links_to_its_place_in_the_document(client):
    outcome = outcome_of(q="minority approach police directly", kind="key-message")
    assert outcome.hits[0].url == "/documents/police/#km-km-few-approach-police"


def test_a_glossary_term_links_to_its_glossary_entry(client):
    outcome = outcome_of(q="CAMHS", kind="glossary")
    assert [h.url for h in outcome.hits] == ["/glossary/#term-camhs"]
    assert marked_words(outcome.hits[0].snippet) >= EXPANSION


def test_a_reference_links_to_the_entry_in_its_documents_reference_list(client):
    outcome = outcome_of(q="Allnock", kind="reference", document="police")
    assert outcome.hits
    assert all(h.url.startswith("/documents/police/#ref-") for h in outcome.hits)
    assert any(h.url.startswith("/documents/police/#ref-allnock-2015") for h in outcome.hits)


def test_a_young_persons_words_link_to_the_section_that_quotes_them(client):
    outcome = outcome_of(q="laughed", kind="quote")
    assert outcome.hits[0].url == "/documents/police/barriers-to-engagement/"
    assert outcome.hits[0].context == "Barriers to engagement"
    assert "<mark>laughed</mark>" in outcome.hits[0].snippet
    # Titled in quote marks once: the quote's own are not doubled.
    title = str(outcome.hits[0].title)
    assert title.startswith("&quot;")
    assert not title.startswith("&quot;&quot;")
    assert title.count("&quot;") == 2


def test_every_facet_count_is_the_number_of_results_its_link_gives(client):
    outcome = outcome_of(q="missing")
    checked = 0
    for facet in outcome.facets:
        assert facet.options, facet.name
        for option in facet.options[:4]:
            query = {k: v[0] for k, v in parse_qs(urlsplit(option.url).query).items()}
            assert outcome_of(**query).total == option.count, option.url
            checked += 1
    assert checked >= 10


def test_facet_counts_apply_the_other_filters_but_not_their_own(client):
    outcome = outcome_of(q="missing", kind="section")
    by_name = {f.name: f for f in outcome.facets}
    kinds = {o.value: o.count for o in by_name["kind"].options}
    assert kinds["section"] == outcome.total
    assert sum(kinds.values()) > outcome.total  # other kinds still offered, with their counts
    documents = sum(o.count for o in by_name["document"].options)
    assert documents == outcome.total  # sections all belong to a document


def test_the_role_from_the_rest_of_the_portal_puts_its_guidance_first_and_hides_nothing(client):
    question = "what to do if a young person goes missing"
    response = client.get("/search/", {"q": question, "role": "police"})
    outcome = response.context["outcome"]
    html = response.content.decode()
    everyone = outcome_of(q=question)
    # An emphasis, not a filter: every result of the search for everyone is still found.
    assert outcome.total == everyone.total
    assert not outcome.params.filters.active()
    assert response.context["role"].slug == "police"
    # The police guidance first, then the rest, each part under its own heading.
    own = [h.for_reader for h in outcome.hits]
    assert own == sorted(own, reverse=True)
    assert 0 < own.count(True) < len(own)
    assert all(("Police" in h.roles or h.kind == "glossary") == h.for_reader for h in outcome.hits)
    assert html.index('id="own-guidance">In guidance for police') < html.index(
        'id="other-guidance">In other professions’ guidance'
    )
    assert "Guidance for social workers" in html
    assert outcome.role_results + outcome.other_results == outcome.total
    assert '<input type="hidden" name="role" value="police">' in html
    assert "Viewing as: <strong>Police</strong>" in html
    assert 'href="/documents/police/?role=police"' in html
    facet_urls = [o.url for f in outcome.facets for o in f.options]
    assert facet_urls
    assert all("role=police" in url for url in facet_urls)


def test_a_role_first_reorders_the_results_for_everyone_and_keeps_each_part_in_rank_order(
    client,
):
    everyone = [h.url for h in outcome_of(q="young people").hits]
    for role in Role.objects.all():
        outcome = outcome_of(q="young people", role=role.slug)
        own = [h.url for h in outcome.hits if h.for_reader]
        others = [h.url for h in outcome.hits if not h.for_reader]
        assert [h.url for h in outcome.hits] == own + others
        # Within each part the order is the ranking's (on the first page, which holds both).
        assert own == [u for u in everyone if u in own] or outcome.role_results > len(own)


def test_the_guidance_for_filter_is_chosen_seen_and_removed_apart_from_the_viewing_role(client):
    response = client.get(
        "/search/", {"q": "missing", "role": "police", "audience": "social-workers"}
    )
    outcome = response.context["outcome"]
    html = response.content.decode()
    assert 0 < outcome.total < outcome_of(q="missing").total
    assert all("Social workers" in h.roles or h.kind == "glossary" for h in outcome.hits)
    assert response.context["role"].slug == "police"  # still viewing as police
    assert "Remove the filter </span>Guidance for: Social workers" in html
    removed = next(f.clear_url for f in outcome.facets if f.name == "role")
    assert "audience=" not in removed
    assert "role=police" in removed
    assert "In guidance for police" not in html  # one profession chosen: no emphasis


def test_other_professions_guidance_is_one_step_away_when_the_role_has_many_results(client):
    outcome = outcome_of(q="young people", role="police")
    assert outcome.role_results > 10  # the police results fill the first page
    assert not any(not h.for_reader for h in outcome.hits)
    url = outcome.others_url
    assert url.endswith("#other-guidance")
    page = client.get(url.split("#")[0])
    assert 'id="other-guidance"' in page.content.decode()


def test_a_search_that_finds_nothing_for_the_role_still_shows_the_other_professions():
    make_document("wombat-notes", [("s1", "Wombats", "A wombat paragraph.")], role="police")
    outcome = outcome_of(q="wombat", role="health-commissioners")
    assert outcome.total == 1
    assert outcome.role_results == 0
    assert [b.anchor for b in outcome.bands] == ["other-guidance"]


def test_an_unknown_role_or_filter_value_is_ignored_not_an_error(client):
    plain = outcome_of(q="missing")
    for params in (
        {"role": "astronaut"},
        {"kind": "poem"},
        {"page": "two"},
        {"theme": "<script>"},
        {"document": "../etc"},
        {"page": "-3"},
    ):
        outcome = outcome_of(q="missing", **params)
        assert outcome.total == plain.total, params
    assert outcome_of(q="missing", role="astronaut").role is None


def test_results_come_in_pages_with_previous_next_and_numbered_links(client):
    first = client.get("/search/", {"q": "young"})
    outcome = first.context["outcome"]
    assert outcome.total > 20
    assert len(outcome.hits) == 10
    assert outcome.next_url == "/search/?q=young&page=2"
    assert outcome.previous_url is None
    second = client.get("/search/", {"q": "young", "page": 2})
    html = second.content.decode()
    page_two = second.context["outcome"]
    assert page_two.first_shown == 11
    assert '<ol class="search-results" start="11">' in html
    assert 'aria-current="page"><span class="visually-hidden">Page </span>2</a>' in html
    assert page_two.previous_url == "/search/?q=young"
    ids = {h.url + h.kind + str(h.title) for h in outcome.hits}
    assert not ids & {h.url + h.kind + str(h.title) for h in page_two.hits}


def test_a_page_beyond_the_last_says_so_and_links_to_the_first(client):
    html = client.get("/search/", {"q": "victimless", "page": 50}).content.decode()
    assert "There are no results on page 50." in html
    assert 'href="/search/?q=victimless">Go to the first page' in html


def test_results_can_be_grouped_by_document(client):
    response = client.get("/search/", {"q": "missing", "group": "document"})
    groups = response.context["outcome"].groups
    labels = [g.label for g in groups]
    assert len(labels) == len(set(labels)) > 1
    assert 'class="result-group"' in response.content.decode()


def test_the_order_is_stable_from_one_search_to_the_next(client):
    first = [h.url + h.kind for h in outcome_of(q="young people").hits]
    again = [h.url + h.kind for h in outcome_of(q="young people").hits]
    assert first == again


@pytest.mark.parametrize(
    "params",
    [
        {"q": "missing"},
        {"q": "young people", "page": 3},
        {"q": "missing", "role": "police", "kind": "section", "theme": "going-missing"},
        {"q": '"professional curiosity" -police', "document": "social-workers"},
        {"q": "CAMHS OR trust", "group": "document"},
    ],
)
def test_a_search_costs_two_queries_whatever_the_filters(django_assert_max_num_queries, params):
    with django_assert_max_num_queries(2):
        response = run_search(**params)
    assert response.status_code == 200


def test_a_search_with_no_match_costs_at_most_seven_queries(django_assert_max_num_queries):
    # Misspelt words, corrected to a search that still finds nothing, then relaxed twice.
    with django_assert_max_num_queries(7):
        run_search(q="vulnerabilty indicaters xylophone")
    with django_assert_max_num_queries(7):
        run_search(q="vulnerabilty indicaters offendrs")


def test_a_question_whose_words_are_all_known_skips_the_spelling_search(
    django_assert_num_queries,
):
    # Role and glossary, the search, the known-words look-up, "all the words but one".
    with django_assert_num_queries(4):
        run_search(q="taxi drivers hotels pregnancy")


def test_the_roles_glossary_and_themes_are_read_once_per_content_version(
    django_assert_num_queries,
):
    run_search(q="missing")
    # The search alone: the roles, glossary and themes the first search read are shared.
    with django_assert_num_queries(1):
        run_search(q="grooming", role="police", audience="social-workers")
    bump_content_version()
    with django_assert_num_queries(2):
        outcome = outcome_of(q="grooming", role="police")
    assert outcome.role.slug == "police"


def test_the_empty_page_costs_a_query_only_for_the_readers_role(django_assert_num_queries):
    with django_assert_num_queries(0):
        run_search()
    with django_assert_num_queries(1):
        run_search(role="police")


def test_a_misspelling_is_corrected_from_the_indexs_own_words_with_its_results(client):
    response = client.get("/search/", {"q": "vulnerabilty indicaters", "role": "police"})
    outcome = response.context["outcome"]
    html = response.content.decode()
    assert outcome.suggestion == "vulnerability indicators"
    assert outcome.total > 0
    assert "Nothing matched “vulnerabilty indicaters”. Did you mean" in html
    assert (
        '<a href="/search/?q=vulnerability+indicators&amp;role=police">vulnerability indicators</a>'
        in html
    )
    # The page's own links carry on with the corrected search.
    assert 'value="vulnerability indicators"' in html
    assert all("q=vulnerability+indicators" in o.url for f in outcome.facets for o in f.options)


def test_the_closest_results_come_in_pages_too():
    first = outcome_of(q="young people pangolin")
    assert first.relaxed
    assert first.next_url
    second = outcome_of(q="young people pangolin", page=2)
    assert second.relaxed
    assert second.first_shown == 11
    assert {h.url + h.kind for h in second.hits}.isdisjoint({h.url + h.kind for h in first.hits})


def test_when_no_passage_has_every_word_the_closest_ones_are_shown(client):
    response = client.get("/search/", {"q": "hotels pregnancy nicknames"})
    outcome = response.context["outcome"]
    assert outcome.relaxed
    assert outcome.total > 0
    assert "No passage contains all of your words" in response.content.decode()


def test_nothing_found_says_so_and_suggests_what_to_do(client):
    html = client.get("/search/", {"q": "xylophone"}).content.decode()
    assert "No results" in html
    assert "Nothing matched “xylophone”" in html
    assert "check the spelling" in html


def test_an_acronym_finds_its_expansion_and_the_expansion_finds_the_acronym(client):
    short = outcome_of(q="CAMHS")
    long = outcome_of(q="child and adolescent mental health services")
    assert {h.url for h in short.hits} == {h.url for h in long.hits}
    assert "/glossary/#term-camhs" in {h.url for h in short.hits}
    assert any(marked_words(h.snippet) >= EXPANSION for h in short.hits if h.kind == "section")
    html = run_search(q="CAMHS").content.decode()
    assert "Also finding CAMHS (Child and Adolescent Mental Health Services)" in html
    assert '<a href="/glossary/#term-camhs">CAMHS in the glossary</a>' in html


def test_a_draft_document_and_everything_in_it_is_never_found(client):
    make_document(
        "search-draft",
        [
            (
                "s1",
                "Quokkas at risk",
                "The quokka protocol.\n\n> “Quokka words.”\n>\n> — Young person Q",
            )
        ],
        key_messages=[("k1", "Quokka key message.")],
        references=[("r1", "The quokka report")],
        status=Status.DRAFT,
    )
    assert SearchEntry.objects.filter(briefing__slug="search-draft").count() == 4
    assert outcome_of(q="quokka").total == 0
    Briefing.objects.filter(slug="search-draft").update(status=Status.PUBLISHED)
    found = outcome_of(q="quokka")
    assert {h.kind for h in found.hits} == {"section", "quote", "key-message", "reference"}


def test_a_scheduled_document_appears_when_its_time_comes_not_when_it_is_indexed(client):
    make_document(
        "search-scheduled",
        [("s1", "Wombat guidance", "Wombats.")],
        publish_from=timezone.now() + timedelta(hours=1),
    )
    assert outcome_of(q="wombat").total == 0
    Briefing.objects.filter(slug="search-scheduled").update(
        publish_from=timezone.now() - timedelta(seconds=1)
    )
    assert outcome_of(q="wombat").total == 1


def test_a_draft_section_its_quotes_and_its_sub_sections_are_never_found(client):
    make_document(
        "search-sections",
        [
            ("shown", "Numbat shown", "Numbat text."),
            (
                "hidden",
                "Numbat hidden",
                "Numbat draft.\n\n> “Numbat!”\n>\n> — Young person N",
                Status.DRAFT,
            ),
            ("child", "Numbat child", "Numbat child text.", Status.PUBLISHED, "hidden"),
        ],
    )
    outcome = outcome_of(q="numbat")
    assert [h.url for h in outcome.hits] == ["/documents/search-sections/numbat-shown/"]


def test_search_hides_exactly_what_the_published_querysets_hide():
    now = timezone.now()
    make_document(
        "search-vis-a", [("a", "Bilby one", "Bilby."), ("b", "Bilby two", "Bilby.", Status.DRAFT)]
    )
    make_document("search-vis-b", [("a", "Bilby three", "Bilby.")], status=Status.DRAFT)
    make_document(
        "search-vis-c",
        [("a", "Bilby four", "Bilby."), ("b", "Bilby five", "Bilby.", Status.PUBLISHED, "a")],
        publish_from=now + timedelta(days=1),
    )
    make_document(
        "search-vis-d",
        [
            ("a", "Bilby six", "Bilby.", Status.DRAFT),
            ("b", "Bilby seven", "Bilby.", Status.PUBLISHED, "a"),
        ],
        publish_from=now - timedelta(days=1),
    )
    query = parse("bilby ")
    found = backend_for().search(query, Filters(kind="section"), 0, 100, now=now)
    visible = {hit.id for hit in found.hits}
    expected = set(
        SearchEntry.objects.filter(
            kind="section",
            object_id__in=Section.objects.published(now).filter(heading__startswith="Bilby"),
        ).values_list("id", flat=True)
    )
    assert visible == expected
    assert len(expected) == 1


def test_search_hides_exactly_the_key_messages_and_references_the_querysets_hide():
    now = timezone.now()
    make_document(
        "search-km-a", key_messages=[("k", "Bilby message.")], references=[("r", "Bilby")]
    )
    make_document(
        "search-km-b",
        key_messages=[("k", "Bilby message.")],
        references=[("r", "Bilby")],
        status=Status.DRAFT,
    )
    make_document(
        "search-km-c",
        key_messages=[("k", "Bilby message.")],
        references=[("r", "Bilby")],
        publish_from=now + timedelta(minutes=5),
    )
    published = Briefing.objects.published(now).filter(slug__startswith="search-km-")
    found = backend_for().search(parse("bilby "), Filters(), 0, 100, now=now)
    assert {h.id for h in found.hits} == set(
        SearchEntry.objects.filter(briefing__in=published).values_list("id", flat=True)
    )
    assert {h.kind for h in found.hits} == {"key-message", "reference"}
    assert set(KeyMessage.objects.published(now).filter(text__contains="Bilby")) == set(
        KeyMessage.objects.filter(briefing__slug="search-km-a")
    )


def test_spelling_suggestions_never_come_from_words_only_drafts_contain(client):
    make_document(
        "search-secret", [("s1", "Secret", "Pangolinhood is confidential.")], status=Status.DRAFT
    )
    outcome = outcome_of(q="pangolinhod")
    assert outcome.suggestion is None
    assert outcome.total == 0


def test_a_heading_outranks_a_key_message_which_outranks_a_body_which_outranks_a_reference(client):
    make_document(
        "search-weights",
        [
            (
                "body",
                "About something else",
                "A passage about practice with young people. " * 6 + "It mentions the axolotl.",
            ),
            ("heading", "Axolotl", "A passage about something else entirely."),
        ],
        key_messages=[("k1", "Every axolotl matters in this key message.")],
        references=[("r1", "Axolotl studies")],
    )
    outcome = outcome_of(q="axolotl ")
    assert [h.kind for h in outcome.hits] == ["section", "key-message", "section", "reference"]
    assert outcome.hits[0].url.endswith("/axolotl/")


def test_the_page_sets_no_cookie_and_carries_no_inline_script_or_style(client):
    response = client.get("/search/", {"q": "missing", "role": "police"})
    html = response.content.decode()
    assert not response.cookies
    assert "style=" not in html
    assert "<script>" not in html
    assert "<script >" not in html
    assert '<meta name="robots" content="noindex">' in html

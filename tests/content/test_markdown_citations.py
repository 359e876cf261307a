"""Citations (``cite:KEY`` links): each resolved one links to its reference, each unknown one stays
the plain words, wherever it stands in the text, and with no resolver at all none is a link."""

from briefings.markdown import ResolvedCitation, render_markdown


def _resolver(key):
    return (
        ResolvedCitation(href="/documents/police/#ref-coy", reference_id=7)
        if key == "coy"
        else None
    )


def test_a_known_citation_after_an_unknown_one_in_the_same_sentence_is_still_a_link():
    rendered = render_markdown(
        "([Nobody, 2020](cite:nobody); [Coy, 2009](cite:coy))", resolver=_resolver
    )
    assert '<span class="citation-unresolved">Nobody, 2020</span>' in rendered.html
    assert '<a class="citation" href="/documents/police/#ref-coy"' in rendered.html
    assert rendered.cited_reference_ids == [7]
    assert rendered.unresolved_citations == ["nobody"]


def test_without_a_resolver_every_citation_stays_plain_words():
    rendered = render_markdown("([Coy, 2009](cite:coy))")
    assert rendered.html == '<p>(<span class="citation-unresolved">Coy, 2009</span>)</p>'
    assert rendered.unresolved_citations == ["coy"]
    assert rendered.cited_reference_ids == []

"""What the property-based URL tests share: arbitrary text, their hypothesis settings, and a GET
or HEAD with an arbitrary query string."""

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Any text a URL can carry (lone surrogates cannot be encoded, so they never reach a server).
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=40)


def fuzzed(max_examples):
    """Hypothesis settings for a test that requests pages: no deadline (a page's first render is
    slow), and the function-scoped database fixtures are meant to be shared by the examples."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def request_with_any_query(client, data, url, keys, values):
    """GET or HEAD ``url`` with up to four parameters: the page's own ``keys`` or any text, set
    to meaningful ``values`` or any text. Returns (query, response)."""
    query = data.draw(
        st.dictionaries(
            st.one_of(st.sampled_from(keys), TEXT.filter(bool)),
            st.one_of(st.sampled_from(values), TEXT),
            max_size=4,
        ),
        label="query",
    )
    method = data.draw(st.sampled_from(["get", "head"]), label="method")
    return query, getattr(client, method)(url, query)

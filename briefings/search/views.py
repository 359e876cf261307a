"""The search page: /search/?q=...&role=...&audience=...&theme=...&document=...&kind=...&page=...

`role` is the reader's "Viewing as": their guidance first, everyone else's after it. `audience`
is the "Guidance for" filter, which keeps only one profession's guidance.
"""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from portal.query import query_parameters
from portal.ratelimit import rate_limited
from portal.search_pool import in_search_pool

from .forms import SearchForm
from .results import Filters
from .service import Params, search


def search_params(data) -> Params:
    """The search the GET parameters ask for; invalid values are dropped, never an error."""
    form = SearchForm(data)
    return Params(
        q=form.value("q"),
        role=form.value("role"),
        filters=Filters(
            kind=form.value("kind"),
            document=form.value("document"),
            role=form.value("audience"),
            theme=form.value("theme"),
        ),
        page=form.value("page", 1),
        group=form.value("group"),
    )


def asks_a_question(request) -> bool:
    """Only a search with words runs the full-text search; the empty search page does not."""
    return bool(request.GET.get("q"))


@require_safe
@query_parameters(SearchForm)
@in_search_pool(when=asks_a_question)
@rate_limited("search", when=asks_a_question)
def search_page(request):
    outcome = search(search_params(request.GET))
    return render(
        request,
        "briefings/search.html",
        {
            "role": outcome.role,
            "query": outcome.params.q,
            "outcome": outcome,
            "params": outcome.params,
        },
    )

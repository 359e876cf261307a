"""How many database queries one page costs, for the per-page query-count tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from briefings.views import role_choices


def queries_for(client, path):
    """The number of queries a GET of `path` runs; the page must render (200).

    The roles' slugs are read once per content version and process (portal.caching.content_memo),
    not per page: they are read before counting, so the count is the page's own.
    """
    role_choices()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)

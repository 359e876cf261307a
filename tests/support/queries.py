"""How many database queries one page costs, for the per-page query-count tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_for(client, path):
    """The number of queries a GET of `path` runs; the page must render (200)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)

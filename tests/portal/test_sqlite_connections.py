"""A server on SQLite keeps each thread's connection between requests, as on PostgreSQL.

Django closes a connection after every request unless CONN_MAX_AGE says otherwise; reopening an
SQLite file costs every uncached page and search its schema and full-text index read again
(portal/settings/env.py). The test suite's own requests never close connections (Django's test
client holds them open), so this runs the WSGI application in a fresh interpreter, as gunicorn
does."""

import subprocess
import sys

SERVE_TWO_PAGES = """
import io, sys
import django
django.setup()
from django.core.wsgi import get_wsgi_application
from django.db import connection

application = get_wsgi_application()

def get(path):
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "localhost",
        "SERVER_PORT": "80", "HTTP_HOST": "localhost", "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr, "SERVER_PROTOCOL": "HTTP/1.1",
    }
    statuses = []
    body = application(environ, lambda status, headers, exc_info=None: statuses.append(status))
    b"".join(body)
    body.close()  # the end of the request: where Django closes a connection it does not keep
    assert statuses == ["200 OK"], statuses

get("/documents/")
first = connection.connection
get("/themes/")
print("kept" if first is not None and connection.connection is first else "reopened")
"""


def test_a_connection_is_kept_from_one_request_to_the_next(sqlite_content_copy):
    result = subprocess.run(  # noqa: S603 - our own script in this interpreter
        [sys.executable, "-c", SERVE_TWO_PAGES],
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "DATABASE_URL": f"sqlite:///{sqlite_content_copy}",
            # Every request renders and queries: nothing is answered from a cache.
            "TEST_CACHE_URL": "dummy://",
        },
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "kept"

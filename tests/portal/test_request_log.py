"""Structured request logging: one JSON line per request."""

import json
import logging

import pytest

from portal.request_log import JsonFormatter

pytestmark = pytest.mark.django_db


def request_records(caplog):
    return [r for r in caplog.records if r.name == "portal.requests"]


def test_each_request_logs_method_path_status_duration_and_cache(client, caplog):
    caplog.set_level(logging.INFO, logger="portal.requests")
    client.get("/documents/police/?role=police")
    client.get("/documents/police/?role=police")
    client.get("/nowhere/")
    first, second, missing = request_records(caplog)
    assert (first.method, first.path, first.status, first.cache) == (
        "GET",
        "/documents/police/",
        200,
        "miss",
    )
    assert second.cache == "hit"
    assert (missing.status, missing.cache) == (404, "-")
    assert first.duration_ms > 0


def test_the_query_string_is_not_logged(client, caplog):
    """A search can describe a child; logs travel further than the database."""
    caplog.set_level(logging.INFO, logger="portal.requests")
    client.get("/documents/", {"q": "name of a child"})
    (record,) = request_records(caplog)
    assert "child" not in JsonFormatter().format(record)


def test_a_line_is_one_json_object(client, caplog):
    caplog.set_level(logging.INFO, logger="portal.requests")
    client.head("/")
    (record,) = request_records(caplog)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["logger"] == "portal.requests"
    assert entry["message"] == "request"
    assert {"time", "level", "method", "path", "status", "duration_ms"} <= entry.keys()
    assert entry["method"] == "HEAD"


def test_errors_carry_their_traceback_in_the_same_line():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("x").makeRecord(
            "x", logging.ERROR, __file__, 1, "failed", (), exc_info=__import__("sys").exc_info()
        )
    entry = json.loads(JsonFormatter().format(record))
    assert "ValueError: boom" in entry["exception"]

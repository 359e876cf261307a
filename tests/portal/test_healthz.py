"""/healthz: the load balancer's check that the app and its database answer."""

import pytest
from django.db import OperationalError

from briefings.models import Briefing

pytestmark = pytest.mark.django_db


def test_healthy_answers_json_with_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}


def test_it_is_never_cached(client):
    response = client.get("/healthz")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "X-Page-Cache" not in client.get("/healthz")


def test_a_database_failure_answers_503_without_details(client, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise OperationalError("unable to open database file /secret/path")

    monkeypatch.setattr(Briefing.objects, "exists", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}
    assert b"/secret/path" not in response.content
    assert "unable to open database file" in caplog.text

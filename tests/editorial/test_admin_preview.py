"""The admin's Markdown preview is for users who may change content, and bounded: POST with a
CSRF token, no text over the Markdown limit, and a few previews a minute per user."""

from types import SimpleNamespace

from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse

from briefings.admin import preview
from tests.support.rendering import watch_rendering

URL = reverse("admin:briefings_markdown_preview")


def _staff(username, *permissions):
    user = User.objects.create_user(username, password="a-long-staff-password", is_staff=True)
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def test_staff_without_permission_to_change_content_get_no_preview(client, db):
    client.force_login(_staff("no-content", "view_section", "view_briefing"))
    with watch_rendering() as renders:
        response = client.post(URL, {"text": "[" * 5000})
    assert response.status_code == 403
    assert "may not change content" in response.json()["error"]
    assert renders == []


def test_permission_to_change_sections_is_enough(client, db):
    client.force_login(_staff("section-editor", "change_section"))
    response = client.post(URL, {"text": "*words*"})
    assert response.status_code == 200
    assert response.json()["html"] == "<p><em>words</em></p>"


def test_the_preview_answers_post_only(editor_client):
    assert editor_client.get(URL, {"text": "*words*"}).status_code == 405


def test_the_preview_needs_the_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(URL, {"text": "*words*"}).status_code == 403
    page = client.get(reverse("admin:briefings_briefing_add"))
    token = page.cookies["csrftoken"].value
    response = client.post(URL, {"text": "*words*"}, headers={"X-CSRFToken": token})
    assert response.status_code == 200


def test_text_over_the_markdown_limit_is_refused_without_rendering(editor_client, settings):
    settings.BRIEFINGS_MARKDOWN_MAX_CHARS = 1_000
    with watch_rendering() as renders:
        response = editor_client.post(URL, {"text": "[" * 1_001})
    assert response.status_code == 400
    assert "1,001 characters long; the limit is 1,000" in response.json()["error"]
    assert renders == []
    assert editor_client.post(URL, {"text": "x" * 1_000}).status_code == 200


def test_each_user_gets_a_limited_number_of_previews_a_minute(editor_client, client, monkeypatch):
    # Within one minute, however slowly the requests are made.
    monkeypatch.setattr(preview, "time", SimpleNamespace(time=lambda: 1_000_000.0))
    for _ in range(preview.PREVIEWS_PER_MINUTE):
        assert editor_client.post(URL, {"text": "*words*"}).status_code == 200
    with watch_rendering() as renders:
        refused = editor_client.post(URL, {"text": "*words*"})
    assert refused.status_code == 429
    assert "paused" in refused.json()["error"]
    assert renders == []
    # Another editor is not held back by the first one's previews.
    client.force_login(_staff("second-editor", "change_briefing"))
    assert client.post(URL, {"text": "*words*"}).status_code == 200


def test_the_limit_resets_after_a_minute(editor, monkeypatch, db):
    now = [1_000_000.0]
    monkeypatch.setattr(preview, "time", SimpleNamespace(time=lambda: now[0]))
    for _ in range(preview.PREVIEWS_PER_MINUTE):
        assert preview.allow_preview(editor)
    assert not preview.allow_preview(editor)
    now[0] += 60
    assert preview.allow_preview(editor)


def test_previews_spread_over_one_minute_count_together(editor, monkeypatch, db):
    start = 999_960.0  # a whole number of minutes since the epoch
    now = [start]
    monkeypatch.setattr(preview, "time", SimpleNamespace(time=lambda: now[0]))
    for i in range(preview.PREVIEWS_PER_MINUTE):
        now[0] = start + i * 59.9 / preview.PREVIEWS_PER_MINUTE
        assert preview.allow_preview(editor)
    now[0] = start + 59.9
    assert not preview.allow_preview(editor)
    # The next minute starts at a multiple of sixty seconds, not sixty seconds after the first.
    now[0] = start + 60.1
    assert preview.allow_preview(editor)


def test_a_count_lost_from_the_cache_starts_again_at_one(editor, monkeypatch, db):
    """The counter can expire between being created and being counted (or the cache may not keep
    it at all); the preview is then the first of the minute, and later ones count from there."""
    from django.core.cache import cache

    monkeypatch.setattr(preview, "time", SimpleNamespace(time=lambda: 1_000_000.0))
    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: False)
    for _ in range(preview.PREVIEWS_PER_MINUTE):
        assert preview.allow_preview(editor)
    assert not preview.allow_preview(editor)

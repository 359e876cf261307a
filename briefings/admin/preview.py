"""The Markdown preview the editing widget asks for while an editor types.

Bounded so it cannot tie up the server: only for users who may change content, POST with a CSRF
token (the admin's views are CSRF-protected), no text over the Markdown limit, and a few previews
a minute per user (``allow_preview``).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import JsonResponse

from ..markdown import render_markdown

# Who may ask: a user who may change some content written in Markdown.
PREVIEW_PERMISSIONS = (
    "briefings.change_briefing",
    "briefings.change_section",
    "briefings.change_keymessage",
    "briefings.change_citation",
)
# Previews per user per minute. The widget asks at most once per pause in typing, one at a time.
# As many as the per-address limit allows by default (RATE_LIMIT_PREVIEW, portal/ratelimit.py):
# an editor typing quickly meets neither, and one user cannot use up a shared address's share.
PREVIEWS_PER_MINUTE = 60


def allow_preview(user) -> bool:
    """Whether ``user`` may have another preview now: at most PREVIEWS_PER_MINUTE a minute.

    A fixed one-minute window counted in the cache (per process with the local-memory cache,
    shared with Redis). Kept to this one function so a portal-wide rate limiter can replace it.
    """
    window = int(time.time() // 60)
    key = f"admin-preview-rate:{user.pk}:{window}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired in between, or the cache keeps nothing (dummy://)
        cache.set(key, 1, timeout=120)
        count = 1
    return count <= PREVIEWS_PER_MINUTE


def preview_view(request):
    """Render Markdown exactly as the site will, for the editor's preview pane."""
    if not any(request.user.has_perm(permission) for permission in PREVIEW_PERMISSIONS):
        return JsonResponse(
            {"error": "You may not change content, so there is no preview."}, status=403
        )
    if not allow_preview(request.user):
        return JsonResponse(
            {
                "error": "The preview is paused for a moment (too many in a minute). "
                "Keep typing: it resumes shortly."
            },
            status=429,
        )
    text = request.POST.get("text", "")
    limit = settings.BRIEFINGS_MARKDOWN_MAX_CHARS
    if len(text) > limit:
        return JsonResponse(
            {
                "error": f"No preview: this text is {len(text):,} characters long; the limit is "
                f"{limit:,}. Split it into sub-sections."
            },
            status=400,
        )
    try:
        html = render_markdown(text).html
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=400)
    except Exception as exc:  # noqa: BLE001 - shown to the editor, never a 500
        return JsonResponse({"error": f"No preview: {exc}"}, status=400)
    return JsonResponse({"html": html})

"""The trainer's controls on public pages: "Add to pack" (with the confirmation of an item just
added) and the header's account state. Both read the session only when the reader has a session
cookie, so an anonymous reader's page stays free of ``Vary: Cookie`` and cacheable."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode

from briefings.models import KeyMessage

from ..permissions import request_is_trainer, user_is_trainer

register = template.Library()

# Where pack_add leaves word of the item it has just added, for the page it returns to.
JUST_ADDED = "packs_just_added"


def _just_added(request, kind, pk):
    """The pack this target was just added to ({"title", "edit"}), once; else None."""
    added = request.session.get(JUST_ADDED)
    if not added or added.get("kind") != kind or added.get("pk") != pk:
        return None
    del request.session[JUST_ADDED]
    return added


@register.inclusion_tag("packs/includes/add_to_pack.html", takes_context=True)
def add_to_pack(context, target, label):
    """A link to choose a pack for a section or key message (a GET page: no form on this page,
    so the public page carries no CSRF token). It carries the page's address, so the trainer
    comes back here, to a confirmation beside the item."""
    request = context.get("request")
    # An editor's preview may show drafts, which can never go into a pack.
    if request is None or context.get("preview") or not request_is_trainer(request):
        return {"show": False}
    kind = "key_message" if isinstance(target, KeyMessage) else "section"
    query = urlencode({kind: target.pk, "next": request.get_full_path()})
    return {
        "show": True,
        "url": f"{reverse('packs:add')}?{query}",
        "label": label,
        "added": _just_added(request, kind, target.pk),
    }


@register.simple_tag(takes_context=True)
def signed_in_user(context):
    """The signed-in user, or None; the session is read only when there is a session cookie."""
    request = context.get("request")
    if request is None or settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    return request.user if request.user.is_authenticated else None


@register.inclusion_tag("packs/includes/account.html", takes_context=True)
def account_state(context, user):
    """Who is signed in (``user``, from ``signed_in_user``), with "Your packs" for a trainer and
    "Sign out"; nothing for a reader who is not signed in."""
    if user is None:
        return {"user": None}
    return {
        "user": user,
        "name": user.get_full_name() or user.get_username(),
        "is_trainer": user_is_trainer(user),
        "csrf_token": context.get("csrf_token"),
    }

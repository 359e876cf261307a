"""The "Add to pack" control on public pages, shown only to signed-in trainers."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from briefings.models import KeyMessage

from ..permissions import request_is_trainer

register = template.Library()


@register.inclusion_tag("packs/add_to_pack.html", takes_context=True)
def add_to_pack(context, target, label):
    """A link to choose a pack for a section or key message (a GET page: no form on this page,
    so the public page carries no CSRF token)."""
    request = context.get("request")
    # An editor's preview may show drafts, which can never go into a pack.
    if request is None or context.get("preview") or not request_is_trainer(request):
        return {"show": False}
    kind = "key_message" if isinstance(target, KeyMessage) else "section"
    return {
        "show": True,
        "url": f"{reverse('packs:add')}?{urlencode({kind: target.pk})}",
        "label": label,
    }

"""How the content admin saves: validate and render first, then one short write transaction.

Django's admin validates a posted change form inside ``transaction.atomic``, and on SQLite (with
IMMEDIATE transactions) that transaction takes the database's write lock when it begins. Rendering
Markdown while holding it would make every other writer (a trainer saving a pack) wait. So the
posted form and its inlines are first validated here, outside any transaction, and each Markdown
text is rendered into a render store (``briefings.rendering``); Django's own pass then finds every
rendering there and only checks that its citations still link where they did.
"""

from __future__ import annotations

import json

from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.forms.formsets import all_valid

from .forms import CHANGE_FIELDS, CHANGE_FIELDSET, with_change_note


def change_summary(message) -> str:
    """What the admin changed, in words, from ``construct_change_message``'s result."""
    if isinstance(message, list):
        message = json.dumps(message)
    return LogEntry(change_message=message).get_change_message()


class ContentAdminMixin:
    """For admins of content with Markdown (documents, sections, key messages). Changing one
    asks for an account of the change, recorded with its revision."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            kwargs["form"] = with_change_note(kwargs.get("form", self.form))
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None:
            fieldsets.append((CHANGE_FIELDSET, {"fields": CHANGE_FIELDS}))
        return fieldsets

    def render_posted_form(self, request, object_id) -> None:
        """Validate the posted form and its inlines outside any transaction, rendering each of
        their texts into the current render store. Nothing is saved; Django's own pass, which
        follows, validates again and saves. Does nothing for a user who may not save it."""
        if "_saveasnew" in request.POST:
            object_id = None
        obj = None
        if object_id is None:
            if not self.has_add_permission(request):
                return
        else:
            obj = self.get_object(request, unquote(object_id))
            if obj is None or not self.has_change_permission(request, obj):
                return
        change = obj is not None
        fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        form = self.get_form(request, obj, change=change, fields=fields)(
            request.POST, request.FILES, instance=obj
        )
        formsets, _inlines = self._create_formsets(request, form.instance, change=change)
        if form.is_valid():
            form.prerender()  # saved even when unchanged, unlike an inline
        all_valid(formsets)

    def object_to_change(self, request, object_id):
        """The object a POST changes, freshly loaded, if the user may change it; else None."""
        if object_id is None or "_saveasnew" in request.POST:
            return None
        obj = self.get_object(request, unquote(object_id))
        return obj if obj is not None and self.has_change_permission(request, obj) else None

"""Every content admin form carries the version it was opened from; a save from an out-of-date
form is refused and the editor gets the conflict page (``conflict_page``).

``EditCheckMixin`` goes first in a content ModelAdmin's bases. Its change form gets a hidden
``_edit_version`` (the version of the content key when the form was first shown; a form shown
again with errors keeps the one it was opened from). Its save runs inside
``conflicts.expecting``, so the first write to the key, inside Django's own write transaction,
checks that version in the database (``briefings.editorial.conflicts``): a refused save has
written nothing. A document locked by another editor refuses the save the same way, with the
lock's holder, reason and end on the page; nothing the editor typed is lost.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.http import HttpResponseRedirect
from django.template.loader import select_template
from django.template.response import TemplateResponse

from ..editorial import conflicts
from ..editorial.conflicts import DocumentLocked, EditConflict, EditRefused
from . import conflict_page
from .conflict_page import VERSION_FIELD

CHANGE_FORM_TEMPLATE = "admin/briefings/editing/change_form.html"
CONFLICT_TEMPLATE = "admin/briefings/editing/conflict.html"


def posted_version(request) -> int | None:
    value = request.POST.get(VERSION_FIELD, "")
    return int(value) if value.isdigit() and len(value) < 19 else None


class EditCheckMixin:
    """For the admins of content: documents and their parts, themes, references, glossary terms
    and change notes."""

    def edit_key(self, obj) -> str | None:
        return conflicts.key_for(obj) if obj is not None else None

    # ---- the form carries its version ---------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        response = super().render_change_form(request, context, add, change, form_url, obj)
        key = self.edit_key(obj) if change else None
        if key is not None:
            opened = posted_version(request) if request.method == "POST" else None
            response.context_data["edit_version"] = (
                opened if opened is not None else conflicts.current_version(key)
            )
        response.context_data["editing_base"] = select_template(response.template_name)
        response.template_name = CHANGE_FORM_TEMPLATE
        return response

    # ---- saving -------------------------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method != "POST":
            return super().change_view(request, object_id, form_url, extra_context)
        obj = self.get_object(request, unquote(object_id))
        parent = super()
        return self._checked_save(
            request, obj, lambda req: parent.change_view(req, object_id, form_url, extra_context)
        )

    def add_view(self, request, form_url="", extra_context=None):
        if request.method != "POST":
            return super().add_view(request, form_url, extra_context)
        parent = super()
        return self._checked_save(
            request, None, lambda req: parent.add_view(req, form_url, extra_context)
        )

    def _checked_save(self, request, obj, save):
        key = self.edit_key(obj)
        choices = {}
        if conflict_page.CONFLICTS in request.POST:
            # Posted from the conflict page: the editor's choices made into the form's data.
            post, choices, missing = conflict_page.apply_choices(request.POST)
            request = conflict_page.with_post(request, post)
            if missing:
                return self.conflict_response(
                    request,
                    obj,
                    key,
                    opened=posted_version(request),
                    choices=choices,
                    unresolved=missing,
                )
        # Every change form this admin shows carries its version; a post without one (a
        # script's) is saved unchecked, as before versions existed.
        opened = posted_version(request) if key is not None else None
        expected = {key: opened} if opened is not None else {}
        try:
            with conflicts.expecting(expected, request.user):
                return save(request)
        except EditConflict:
            return self.conflict_response(request, obj, key, opened=opened, choices=choices)
        except DocumentLocked as refused:
            return self.conflict_response(
                request, obj, key, opened=opened, choices=choices, lock=refused.lock
            )

    def conflict_response(
        self, request, obj, key, *, opened=None, choices=None, unresolved=(), lock=None
    ):
        """The page for a save that was not applied: each field as posted and as stored now."""
        if obj is not None:
            obj = self.get_object(request, str(obj.pk))  # as it is now, after the refused save
        found = conflict_page.find_conflicts(self, request, obj)
        for item in found.fields:
            choice, merge = (choices or {}).get(item.name, ("", ""))
            item.choice = choice
            if choice == "merge":
                item.merge = merge
        since = (
            list(conflicts.saved_since(key, opened))
            if key is not None and opened is not None
            else []
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": f"Your changes to “{obj}” were not saved" if obj else "Not saved",
            "conflicts": found,
            "saved_since": since,
            "lock": lock,
            "opened": opened,
            "edit_version": conflicts.current_version(key) if key is not None else None,
            "unresolved": set(unresolved),
            "action": request.get_full_path(),
        }
        return TemplateResponse(request, CONFLICT_TEMPLATE, context, status=409)

    # ---- other writes from the admin: actions and deletions ----------------------------------

    def response_action(self, request, queryset):
        try:
            with conflicts.expecting({}, request.user):
                return super().response_action(request, queryset)
        except EditRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            with conflicts.expecting({}, request.user):
                return super().delete_view(request, object_id, extra_context)
        except EditRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

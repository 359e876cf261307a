"""A document's admin page says who else has it open, and lets an editor lock it for a stated
time with a reason (as Wagtail does); locks show in the documents list and on the page.

The refusal of a locked document's saves is in ``briefings.editorial.conflicts``; the reads and
writes here go through ``briefings.editorial.presence``. The presence marker is refreshed on each
page load and by ``static/js/admin-presence.js`` while the page is open (the page works without
it: the marker then lapses sooner).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from ..editorial import conflicts, presence
from ..editorial.conflicts import EditRefused, editor_name
from ..models.editing import LOCK_REASON_MAX_LENGTH
from .conflicts import EditCheckMixin, posted_version


class LockForm(forms.Form):
    minutes = forms.TypedChoiceField(
        label="Lock for", choices=presence.LOCK_DURATIONS, coerce=int, initial=60
    )
    reason = forms.CharField(
        label="Reason (shown to other editors)",
        max_length=LOCK_REASON_MAX_LENGTH,
        widget=forms.TextInput(attrs={"size": 40}),
    )


def when(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


def presence_summary(others) -> str:
    if not others:
        return "No other editor has this document open."
    names = ", ".join(editor_name(mark.user) for mark in others)
    verb = "has" if len(others) == 1 else "have"
    return f"Also open: {names} {verb} this document open now."


class DocumentEditingMixin(EditCheckMixin):
    """For the document admin: presence, locks, and the version check on a revert."""

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/presence/",
                view(require_POST(self.presence_view)),
                name=f"{prefix}_presence",
            ),
            path(
                "<path:object_id>/lock/",
                view(require_POST(self.lock_view)),
                name=f"{prefix}_lock",
            ),
            *super().get_urls(),
        ]

    def _editable(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such document.")
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def _change_url(self, obj):
        name = f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_change"
        return reverse(name, args=[obj.pk])

    # ---- the change page -----------------------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if obj is None or not change:
            return response
        key = conflicts.document_key(obj.pk)
        if self.has_change_permission(request, obj):
            presence.mark_present(key, request.user)
        others = presence.others_present(key, request.user)
        lock = presence.active_lock(obj)
        prefix = f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}"
        response.context_data.update(
            editing_panel=True,
            presence_others=others,
            presence_summary=presence_summary(others),
            presence_url=reverse(f"{prefix}_presence", args=[obj.pk]),
            presence_refresh=presence.PRESENCE_REFRESH_SECONDS,
            lock=lock,
            lock_mine=lock is not None and lock.locked_by_id == request.user.pk,
            lock_until=when(lock.until) if lock else "",
            lock_holder=editor_name(lock.locked_by) if lock else "",
            lock_form=LockForm(auto_id="id_lock_%s"),
            lock_url=reverse(f"{prefix}_lock", args=[obj.pk]),
        )
        return response

    def presence_view(self, request, object_id):
        obj = self._editable(request, object_id)
        key = conflicts.document_key(obj.pk)
        presence.mark_present(key, request.user)
        others = presence.others_present(key, request.user)
        return JsonResponse(
            {
                "summary": presence_summary(others),
                "others": [editor_name(mark.user) for mark in others],
            }
        )

    def lock_view(self, request, object_id):
        obj = self._editable(request, object_id)
        try:
            if "unlock" in request.POST:
                if presence.unlock(obj, request.user):
                    self.message_user(request, f"“{obj}” is unlocked.", messages.SUCCESS)
            else:
                form = LockForm(request.POST)
                if not form.is_valid():
                    problems = "; ".join(e for errors in form.errors.values() for e in errors)
                    self.message_user(request, f"Not locked: {problems}", messages.ERROR)
                    return HttpResponseRedirect(self._change_url(obj))
                held = presence.lock(
                    obj, request.user, form.cleaned_data["minutes"], form.cleaned_data["reason"]
                )
                self.message_user(
                    request,
                    f"You locked “{obj}” until {when(held.until)}: other editors cannot save it "
                    "until then, or until you unlock it.",
                    messages.SUCCESS,
                )
        except presence.LockError as exc:
            self.message_user(request, str(exc), messages.ERROR)
        return HttpResponseRedirect(self._change_url(obj))

    # ---- the documents list --------------------------------------------------------------------

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("edit_lock__locked_by")

    def get_list_display(self, request):
        return [*super().get_list_display(request), "lock_state"]

    @admin.display(description="Lock")
    def lock_state(self, obj):
        lock = getattr(obj, "edit_lock", None)  # None when the document has no lock row
        if lock is None or not lock.is_active(timezone.now()):
            return "-"
        until = date_format(timezone.localtime(lock.until), "H:i, j M")
        return format_html("Locked by {} until {}", editor_name(lock.locked_by), until)

    # ---- a revert carries its version too ------------------------------------------------------

    def revert_view(self, request, object_id, version_id):
        if request.method != "POST":
            response = super().revert_view(request, object_id, version_id)
            obj = getattr(response, "context_data", {}).get("original")
            if obj is not None:
                response.context_data["edit_version"] = conflicts.current_version(
                    conflicts.document_key(obj.pk)
                )
            return response
        obj = self._editable(request, object_id)
        key = conflicts.document_key(obj.pk)
        opened = posted_version(request)
        try:
            if opened is None:
                raise conflicts.EditConflict(key, -1, conflicts.current_version(key))
            with conflicts.expecting({key: opened}, request.user):
                response = super().revert_view(request, object_id, version_id)
        except conflicts.EditConflict:
            saved = list(conflicts.saved_since(key, opened or 0))
            names = "; ".join(f"{editor_name(r.user)} at {when(r.at)}" for r in saved)
            self.message_user(
                request,
                "Not reverted: the document was saved since you opened this page"
                + (f" (by {names})" if names else "")
                + ". Below is what reverting would change now; revert again if you still want to.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())
        except EditRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        if hasattr(response, "context_data"):  # the form again, with its errors
            response.context_data["edit_version"] = opened
        return response

    def recover_view(self, request, version_id):
        try:
            with conflicts.expecting({}, request.user):
                return super().recover_view(request, version_id)
        except EditRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
            name = (
                f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_recoverlist"
            )
            return HttpResponseRedirect(reverse(name))

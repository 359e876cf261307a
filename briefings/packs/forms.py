"""Forms for building packs. Everything a trainer types is plain text, escaped wherever it shows."""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.http import url_has_allowed_host_and_scheme

from .models import NOTE_MAX_LENGTH, TITLE_MAX_LENGTH, Pack
from .selectors import published_target


class PlainLabels:
    """Labels without Django's trailing colon: "Title", not "Title:"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class PackForm(PlainLabels, forms.ModelForm):
    class Meta:
        model = Pack
        fields = ["title", "introduction", "contact", "visibility"]
        labels = {
            "title": "Title",
            "introduction": "Introduction (optional)",
            "contact": "Contact line for the handout (optional)",
            "visibility": "Who can find it",
        }
        help_texts = {
            "title": "For example, the session it is for.",
            "introduction": "Plain text, shown at the top of the pack and the handout.",
            "contact": "Printed on the handout, under your name if you have added one: for"
            " example an email address.",
        }
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 4}),
            "visibility": forms.RadioSelect,
        }


class PageQuery(forms.Form):
    """?page=, the page of the list of packs: anything but a page number is ignored."""

    page = forms.IntegerField(required=False, min_value=1)


# The control that takes focus when the editor opens again after a save, a move or a removal.
FOCUS_RE = re.compile(r"^(?:(?:up|down|remove|note)-\d+|save-notes|save-details|status)$")


class EditorQuery(forms.Form):
    """?focus=, which control of the editor takes focus (and has the confirmation beside it)."""

    focus = forms.RegexField(FOCUS_RE, required=False, max_length=40)


class NextQuery(forms.Form):
    """?next=, the page to return to: a path on this site, else nowhere."""

    next = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def clean_next(self):
        path = self.cleaned_data["next"]
        if not path.startswith("/") or not url_has_allowed_host_and_scheme(path, set()):
            return ""
        return path


class TargetQuery(NextQuery):
    """?section=<id> or ?key_message=<id>, and ?next= (the reading page the control was on): the
    "Add to pack" control's link. Each value checked alone, without the database: the GET
    parameters the page declares (``@query_parameters``); TargetForm then looks the target up."""

    section = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    key_message = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class TargetForm(TargetQuery):
    """What the "Add to pack" control points at: one published section or key message."""

    def clean(self):
        data = super().clean()
        chosen = [kind for kind in ("section", "key_message") if data.get(kind)]
        if len(chosen) != 1:
            raise ValidationError("Choose one section or key message.")
        self.kind = chosen[0]
        self.target = published_target(self.kind, data[self.kind])
        if self.target is None:
            raise ValidationError("That section or key message is not published.")
        return data


NEW_PACK = "new"


class AddToPackForm(PlainLabels, forms.Form):
    pack = forms.ChoiceField(label="Add it to", widget=forms.RadioSelect)
    new_title = forms.CharField(
        label="Title of the new pack",
        max_length=TITLE_MAX_LENGTH,
        required=False,
    )

    def __init__(self, *args, packs, **kwargs):
        super().__init__(*args, **kwargs)
        self.packs = {pack.token: pack for pack in packs}
        choices = [(pack.token, pack.title) for pack in packs]
        choices.append((NEW_PACK, "A new pack"))
        self.fields["pack"].choices = choices
        self.fields["pack"].initial = packs[0].token if packs else NEW_PACK

    def clean(self):
        data = super().clean()
        choice = data.get("pack")
        if choice == NEW_PACK:
            if not data.get("new_title", "").strip():
                self.add_error("new_title", "Give the new pack a title.")
            self.pack = None
        elif choice:
            # Whether it has room is decided when the item is added, with the pack locked.
            self.pack = self.packs[choice]
        return data


ACTION_RE = re.compile(r"^(?:save|(?:up|down|remove):(\d+))$")


class PackItemsForm(forms.Form):
    """The editor's one form: every note, and the button pressed (save, move or remove).

    One form rather than one per item, so a note typed but not yet saved is kept when the trainer
    moves or removes another item.
    """

    action = forms.CharField(max_length=40)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {item.pk: item for item in items}
        for item in items:
            self.fields[self.note_name(item)] = forms.CharField(
                required=False,
                max_length=NOTE_MAX_LENGTH,
                strip=True,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    @staticmethod
    def note_name(item):
        return f"note-{item.pk}"

    def clean_action(self):
        action = self.cleaned_data["action"]
        match = ACTION_RE.match(action)
        if not match or (match.group(1) and int(match.group(1)) not in self.items):
            raise ValidationError("Unknown action.")
        return action

    def note_fields(self):
        return {pk: self[self.note_name(item)] for pk, item in self.items.items()}


def _user_field_length(name):
    return get_user_model()._meta.get_field(name).max_length


class TrainerNameForm(PlainLabels, forms.Form):
    """The trainer's name as their handouts print it ("Prepared by …"): the account's first and
    last name, both optional (without either a handout names no one)."""

    first_name = forms.CharField(
        label="First name", required=False, max_length=_user_field_length("first_name")
    )
    last_name = forms.CharField(
        label="Last name", required=False, max_length=_user_field_length("last_name")
    )

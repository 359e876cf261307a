"""Every text field of every admin form has a limit, and text over it is a form error, never a 500.

The forms are found from the code: every model registered with the admin, its change form and its
inlines, and every field on them, so a field added later is walked too. Each over-long value is
posted through the real change page, with the rest of the form valid (the unchanged form saves),
so a limit only the database or the renderer would notice shows up here as a 500.
"""

from __future__ import annotations

import json

import pytest
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import resolve, reverse
from taggit.models import Tag

from briefings.models import ChangeNote, Series
from tests.support.admin_forms import form_data, inline_rows
from tests.support.factories import make_briefing
from tests.support.packs import first_sections, make_pack, make_trainer

# Text fields with no limit of their own, and why that is safe.
NO_LIMIT_NEEDED = {
    # Django's user creation form: a password is hashed, never stored as typed, and the request
    # body itself is bounded (DATA_UPLOAD_MAX_MEMORY_SIZE).
    ("auth.user", "password1"),
    ("auth.user", "password2"),
}


@pytest.fixture
def objects(db):
    """At least one object of every model the admin edits, with a row in every inline."""
    briefing = make_briefing("field-limits", sections=2)
    ChangeNote.objects.create(briefing=briefing, note="Added a section.")
    Series.objects.create(name="A test series", slug="a-test-series")
    trainer = make_trainer("limits-trainer")
    make_pack(trainer, first_sections("police", 1), notes=["A note."])
    Tag.objects.create(name="a tag", slug="a-tag")
    Group.objects.get_or_create(name="Editors")
    return {"briefings.briefing": briefing}


def _request(user, url="/admin/"):
    """A request for ``url`` as the admin's views see it (inlines read the URL's object id)."""
    request = RequestFactory().get(url)
    request.user = user
    request.resolver_match = resolve(url)
    return request


def _change_url(model_admin, obj):
    opts = model_admin.model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def _sample(model_admin, request, objects):
    label = model_admin.model._meta.label_lower
    if label in objects:
        return objects[label]
    return model_admin.get_queryset(request).order_by("pk").first()


def _editable_admins(request):
    for model, model_admin in admin.site._registry.items():
        if model_admin.has_change_permission(request):
            yield model, model_admin


def _limit(model, name, field) -> int | None:
    markdown = {spec.name for spec in getattr(model, "markdown_fields", ())}
    if name in markdown:
        return settings.BRIEFINGS_MARKDOWN_MAX_CHARS
    return getattr(field, "max_length", None)


def _over_long(field, limit) -> str:
    if isinstance(field, forms.JSONField):
        return json.dumps(["x" * limit])
    if isinstance(field, forms.URLField):
        return "https://example.org/" + "a" * limit
    if isinstance(field, forms.EmailField):
        return "a" * limit + "@example.org"
    return "a" * (limit + 1)


def _text_fields(form_class, model):
    """The text inputs of a form class, with their limits."""
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.CharField) and not field.disabled:
            yield name, field, _limit(model, name, field)


def _forms_of(model_admin, request, obj):
    """(prefix, form class, model) for the change form and each inline's form."""
    yield None, model_admin.get_form(request, obj, change=True), model_admin.model
    for inline in model_admin.get_inline_instances(request, obj):
        formset = inline.get_formset(request, obj)
        yield formset().prefix, formset.form, inline.model


def test_every_text_field_of_every_admin_form_has_a_limit(admin_user, objects):
    request = _request(admin_user)
    missing = []
    for model, model_admin in _editable_admins(request):
        obj = _sample(model_admin, request, objects)
        add_form = model_admin.get_form(request, None, change=False)
        found = [*_text_fields(add_form, model)]
        if obj is not None:
            change = _request(admin_user, _change_url(model_admin, obj))
            for _prefix, form_class, form_model in _forms_of(model_admin, change, obj):
                found += _text_fields(form_class, form_model)
        label = model._meta.label_lower
        missing += [
            f"{label}.{name}"
            for name, _field, limit in found
            if limit is None and (label, name) not in NO_LIMIT_NEEDED
        ]
    assert sorted(set(missing)) == []


def _errors(response, prefix, name):
    context = response.context
    if prefix is None:
        return context["adminform"].form.errors.get(name)
    for inline in context["inline_admin_formsets"]:
        if inline.formset.prefix == prefix:
            return inline.formset.forms[0].errors.get(name)
    raise LookupError(prefix)


def _walk(client, user, model_admin, obj):
    """Post each text field of the change form over its limit; yield what went wrong."""
    opts = model_admin.model._meta
    url = _change_url(model_admin, obj)
    request = _request(user, url)
    data = form_data(client.get(url).content.decode(), f"{opts.model_name}_form")
    unchanged = client.post(url, data)
    assert unchanged.status_code == 302, (url, unchanged.context and unchanged.context["errors"])
    for prefix, form_class, model in _forms_of(model_admin, request, obj):
        if prefix is not None and not inline_rows(data, prefix):
            yield f"{url}: the {prefix} inline has no row to try"
            continue
        for name, field, limit in _text_fields(form_class, model):
            if limit is None:
                continue
            key = name if prefix is None else f"{prefix}-0-{name}"
            response = client.post(url, {**data, key: _over_long(field, limit)})
            if response.status_code != 200 or not _errors(response, prefix, name):
                yield f"{url} {key}: {response.status_code}, no error on the field"


def test_text_over_the_limit_is_a_form_error_on_every_admin_form(admin_client, admin_user, objects):
    request = _request(admin_user)
    problems, walked = [], []
    for model, model_admin in _editable_admins(request):
        obj = _sample(model_admin, request, objects)
        if obj is None:
            continue
        problems += list(_walk(admin_client, admin_user, model_admin, obj))
        walked.append(model._meta.label_lower)
    assert problems == []
    # The content forms, whose limits an editor meets, were all among them.
    assert {
        "briefings.briefing",
        "briefings.section",
        "briefings.keymessage",
        "briefings.reference",
        "briefings.changenote",
        "briefings.series",
        "packs.pack",
    } <= set(walked)


def test_an_over_long_citation_entry_is_a_form_error_and_nothing_is_saved(
    editor_client, objects, settings
):
    settings.BRIEFINGS_MARKDOWN_MAX_CHARS = 1_000
    briefing = objects["briefings.briefing"]
    url = reverse("admin:briefings_briefing_change", args=[briefing.pk])
    data = form_data(editor_client.get(url).content.decode(), "briefing_form")
    response = editor_client.post(url, {**data, "citations-0-entry": "x" * 1_001})
    assert response.status_code == 200
    errors = _errors(response, "citations", "entry")
    assert errors == [
        "This text is 1,001 characters long; the limit is 1,000. Split it into sub-sections."
    ]
    assert briefing.citations.get().entry == "Test, A. (2020) *A work*"

"""Every field that becomes HTML carries the whole hostile set without anything that can run
(issue 19): the XSS vectors of tests/content/test_markdown_sanitising.py, in block and in inline
form, saved through the model and through the admin's form where there is one, then every page
that shows the field (public pages, the pack page and handout, the updates feed) is audited.

The fields are read from the code, so that a new one cannot be forgotten:

- every stored rendering ``<name>_html`` names the Markdown field ``<name>`` it is made from;
- every field whose name a template passes through a filter that turns text into HTML
  (``linebreaks``, ``urlize`` ...), on any model that has a field of that name;
- every other free-text field (a ``TextField``) people write.

Each model the fields belong to needs a ``Place`` below: the object to write to and the pages
that show it. A field must show on one of its pages (a marker word is looked for), so a page list
that misses the field fails rather than passing unseen.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import models
from django.urls import reverse

from tests.content.test_markdown_sanitising import XSS_VECTORS, audit, href_problem
from tests.support.admin_forms import get_form, row_index

MARKER = "Hostilemarker"
# Written by the code, never shown as a person wrote them: covered through their sources. Quotes
# and search rows come from rendered content; a Reference's fields are derived from its citations
# (each document's own, shown on its page and on /references/).
DERIVED_MODELS = {"Quote", "SearchEntry", "Reference"}
HTML_FILTERS = {"linebreaks", "linebreaksbr", "urlize", "urlizetrunc", "safe", "safeseq"}


def _our_models():
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("briefings.") and model.__name__ not in DERIVED_MODELS
    ]


def _model(name):
    """A model by its class name, wherever its app lives (the packs are moving to their own)."""
    (found,) = [model for model in _our_models() if model.__name__ == name]
    return found


def _text_fields(model):
    return {
        f.name: f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and f.editable and not f.choices
    }


def markdown_fields():
    """(model, source field name) for every stored rendering."""
    found = set()
    for model in _our_models():
        for f in model._meta.concrete_fields:
            if f.name.endswith("_html"):
                # A rendering without its source is a mistake: this raises FieldDoesNotExist.
                source = model._meta.get_field(f.name.removesuffix("_html"))
                found.add((model, source.name))
    return found


def _template_files():
    folders = [Path(d) for t in settings.TEMPLATES for d in t.get("DIRS", [])]
    folders += [Path(c.path) / "templates" for c in apps.get_app_configs()]
    return [path for folder in folders if folder.is_dir() for path in folder.rglob("*.html")]


def filtered_field_names():
    """Names of the values templates pass through a filter that makes HTML from text."""
    names = set()
    for path in _template_files():
        for expression in re.findall(r"\{\{(.*?)\}\}", path.read_text(encoding="utf-8"), re.S):
            variable, *filters = (part.strip() for part in expression.split("|"))
            if any(f.split(":")[0] in HTML_FILTERS for f in filters):
                names.add(variable.split(".")[-1])
    return names


def hostile_fields():
    """(model, field name): every field that becomes HTML."""
    found = markdown_fields()
    names = filtered_field_names()
    for model in _our_models():
        for name, f in _text_fields(model).items():
            if name.endswith("_html") or (model, name) in found:
                continue
            if name in names or isinstance(f, models.TextField):
                found.add((model, name))
    return sorted(found, key=lambda pair: (pair[0].__name__, pair[1]))


FIELDS = hostile_fields()
FIELD_IDS = [f"{model.__name__}.{name}" for model, name in FIELDS]


# ---- where each model's text appears ---------------------------------------------------------


def _pack(section, key_message):
    owner = User.objects.create_user("pack-owner", "owner@example.org", "a-long-password-here")
    pack = _model("Pack").objects.create(
        owner=owner, title="A session", introduction="An introduction.", visibility="listed"
    )
    item = _model("PackItem")
    item.objects.create(pack=pack, order=0, kind="section", section=section, note="A note.")
    item.objects.create(pack=pack, order=1, kind="key_message", key_message=key_message)
    return pack


def _police_section():
    return (
        _model("Section")
        .objects.published()
        .filter(briefing__slug="police", parent=None)
        .exclude(body="")
        .order_by("order")
        .first()
    )


def _police_key_message():
    return _model("KeyMessage").objects.filter(briefing__slug="police").order_by("order").first()


def _pack_pages(pack):
    return [pack.get_absolute_url(), pack.get_handout_url()]


def _section_place():
    section = _police_section()
    pack = _pack(section, _police_key_message())
    pages = [section.briefing.get_absolute_url(), section.get_absolute_url(), *_pack_pages(pack)]
    return section, pages


def _key_message_place():
    message = _police_key_message()
    pack = _pack(_police_section(), message)
    roles = [reverse("briefings:role", args=[r.slug]) for r in message.briefing.audiences.all()]
    themes = [reverse("briefings:theme", args=[t.slug]) for t in message.themes.all()[:1]]
    return message, [message.briefing.get_absolute_url(), *roles, *themes, *_pack_pages(pack)]


def _briefing_place():
    # The document with the shortest admin form (no reference list), to keep the test quick.
    briefing = _model("Briefing").objects.get(slug="social-workers")
    return briefing, [briefing.get_absolute_url()]


def _citation_place():
    # The police briefing is the earliest published, so /references/ shows its citations' fields.
    citation = _model("Citation").objects.filter(briefing__slug="police", listed=True).first()
    return citation, [citation.briefing.get_absolute_url(), reverse("briefings:references")]


def _glossary_place():
    # A term no document defines is the admin's to edit (a defined one takes its text from the
    # document), and is public.
    term = _model("GlossaryTerm").objects.create(term="HOSTILE", expansion="A test term")
    return term, [reverse("briefings:glossary")]


def _theme_place():
    theme = _police_section().themes.first()
    return theme, [
        reverse("briefings:theme", args=[theme.slug]),
        reverse("briefings:theme_compare", args=[theme.slug]),
    ]


def _role_place():
    role = _model("Briefing").objects.get(slug="police").audiences.first()
    return role, [reverse("briefings:role", args=[role.slug])]


def _change_note_place():
    briefing = _model("Briefing").objects.get(slug="police")
    note = _model("ChangeNote").objects.create(briefing=briefing, note="A note.")
    return note, [briefing.get_absolute_url(), reverse("briefings:feed")]


def _pack_place():
    pack = _pack(_police_section(), _police_key_message())
    return pack, [*_pack_pages(pack), reverse("packs:index")]


def _pack_item_place():
    pack = _pack(_police_section(), _police_key_message())
    return pack.items.order_by("order").first(), _pack_pages(pack)


@dataclass
class Place:
    build: Callable  # () -> (the object to write the field of, the pages that show it)


PLACES = {
    "Briefing": Place(_briefing_place),
    "Section": Place(_section_place),
    "KeyMessage": Place(_key_message_place),
    "Citation": Place(_citation_place),
    "GlossaryTerm": Place(_glossary_place),
    "Theme": Place(_theme_place),
    "Role": Place(_role_place),
    "ChangeNote": Place(_change_note_place),
    "Pack": Place(_pack_place),
    "PackItem": Place(_pack_item_place),
}


# ---- the hostile values ----------------------------------------------------------------------


def hostile_values(model, name, *, inline=True):
    """The whole hostile set as values of the field: as separate blocks (a field of several
    lines) and inside one line of text (unless ``inline`` is false), in as few values as the
    field's length allows (a vector longer than the field cannot be stored in it)."""
    field = model._meta.get_field(name)
    limit = field.max_length or settings.BRIEFINGS_MARKDOWN_MAX_CHARS
    joins = ["\n\n"] if isinstance(field, models.TextField) else []
    if inline or not joins:
        joins.append(" ")
    values = []
    for join in joins:
        vectors = XSS_VECTORS if join == "\n\n" else [v.replace("\n", " ") for v in XSS_VECTORS]
        value = MARKER
        for vector in vectors:
            if len(MARKER) + len(join) + len(vector) > limit:
                continue
            if len(value) + len(join) + len(vector) > limit:
                values.append(value)
                value = MARKER
            value += join + vector
        values.append(value)
    return values


# ---- judging a page --------------------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "background", "poster", "data"}


class _Risks(HTMLParser):
    """Everything on a page that could run or load: script and embedding elements, event
    handlers, styles, and the addresses of links and resources."""

    RISKY_TAGS = {"script", "iframe", "frame", "object", "embed", "base", "meta", "link", "style"}
    RISKY_TAGS |= {"form", "img", "svg", "math", "video", "audio", "source", "details", "input"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self.hrefs, self._tag = set(), [], None

    def handle_starttag(self, tag, attrs):
        names = tuple(sorted(n for n, _ in attrs))
        urls = tuple(sorted((n, v or "") for n, v in attrs if n in URL_ATTRIBUTES))
        if tag in self.RISKY_TAGS:
            self.found.add((tag, names, urls))
        for attribute, value in attrs:
            if attribute.startswith("on") or attribute == "style":
                self.found.add((tag, attribute, value))
            if attribute == "href":
                self.hrefs.append(value or "")
        self._tag = tag

    def handle_endtag(self, tag):
        self._tag = None

    def handle_data(self, data):
        if self._tag in ("script", "style") and data.strip():
            self.found.add((self._tag, "content", data.strip()))


def risks(html):
    parser = _Risks()
    parser.feed(html)
    parser.close()
    return parser


def feed_problems(xml, marker):
    """The feed's entries that carry the marker must declare their summary as text, or be safe
    as HTML."""
    atom = "{http://www.w3.org/2005/Atom}"
    problems = []
    for summary in ET.fromstring(xml).iter(f"{atom}summary"):  # noqa: S314 - our own feed
        if marker not in (summary.text or ""):
            continue
        if summary.get("type", "text") == "html":
            problems += audit(summary.text)
        elif summary.get("type", "text") != "text":
            problems.append(f"summary type {summary.get('type')}")
    return problems


class Pages:
    """The pages that show a field, read before and after each hostile value is saved."""

    def __init__(self, client, urls):
        self.client, self.urls = client, urls
        self.baseline = {url: risks(self._get(url)).found for url in urls}

    def _get(self, url):
        cache.clear()  # the page cache would answer with the page as it was
        response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.content.decode()

    def check(self, value_label):
        shown = False
        for url in self.urls:
            content = self._get(url)
            shown = shown or MARKER in content
            if url == reverse("briefings:feed"):
                assert feed_problems(content, MARKER) == [], (value_label, url)
                continue
            page = risks(content)
            assert page.found - self.baseline[url] == set(), (value_label, url)
            bad = [p for p in map(href_problem, page.hrefs) if p]
            assert bad == [], (value_label, url)
        assert shown, f"{value_label} shows on none of {self.urls}"


# ---- saving ----------------------------------------------------------------------------------


def _admin_fields(model_admin):
    if model_admin.fieldsets:
        return {f for _, options in model_admin.fieldsets for f in options["fields"]}
    if model_admin.fields:
        return set(model_admin.fields)
    # No list: the admin's form has every editable field but the read-only ones.
    editable = {f.name for f in model_admin.model._meta.get_fields() if getattr(f, "editable", 0)}
    return editable - set(model_admin.readonly_fields)


def admin_route(model, name):
    """How the admin edits the field: its model's own change form, or an inline on another's."""
    for registered, model_admin in admin.site._registry.items():
        if registered is model and name in _admin_fields(model_admin):
            return registered, None
    for registered, model_admin in admin.site._registry.items():
        for inline in model_admin.inlines:
            if inline.model is model and name in (inline.fields or ()):
                return registered, inline
    return None


def save_through_admin(client, obj, name, value):
    parent_model, inline = admin_route(type(obj), name)
    parent = obj
    if inline is not None:
        (fk,) = [f for f in type(obj)._meta.concrete_fields if f.related_model is parent_model]
        parent = getattr(obj, fk.name)
    opts = parent_model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[parent.pk])
    data = get_form(client, url, f"{opts.model_name}_form")
    if inline is None:
        data[name] = value
    else:
        prefix = fk.remote_field.get_accessor_name()
        data[f"{prefix}-{row_index(data, prefix, 'id', obj.pk)}-{name}"] = value
    response = client.post(url, data)
    # Saved: nothing refuses it (the broken-link check is off), so it must reach the pages.
    assert response.status_code == 302, response.context and [
        response.context["adminform"].form.errors,
        [f.formset.errors for f in response.context.get("inline_admin_formsets", [])],
    ]


def save_through_model(obj, name, value):
    setattr(obj, name, value)
    obj.full_clean(exclude=[f.name for f in obj._meta.fields if f.name != name])
    obj.save()


# ---- the tests -------------------------------------------------------------------------------


def test_the_fields_readers_see_as_html_include_every_kind_the_content_has():
    named = set(FIELD_IDS)
    assert {
        "Section.body",
        "Briefing.intro",
        "Briefing.source_note",
        "KeyMessage.text",
        "Citation.entry",
        "ChangeNote.note",
        "GlossaryTerm.note",
        "Pack.introduction",
        "PackItem.note",
    } <= named


def test_every_model_with_such_a_field_has_a_place_to_read_it():
    assert {model.__name__ for model, _ in FIELDS} <= set(PLACES)


@pytest.mark.parametrize(("model", "name"), FIELDS, ids=FIELD_IDS)
def test_hostile_text_saved_through_the_model_cannot_run_where_it_shows(client, db, model, name):
    obj, urls = PLACES[model.__name__].build()
    pages = Pages(client, urls)
    for index, value in enumerate(hostile_values(model, name)):
        save_through_model(obj, name, value)
        pages.check(f"{model.__name__}.{name} value {index}")


ADMIN_FIELDS = [(m, n) for m, n in FIELDS if admin_route(m, n)]


@pytest.mark.parametrize(
    ("model", "name"), ADMIN_FIELDS, ids=[f"{m.__name__}.{n}" for m, n in ADMIN_FIELDS]
)
def test_hostile_text_saved_through_the_admin_cannot_run_where_it_shows(
    admin_client, client, model, name, monkeypatch
):
    # The admin refuses links to no page of the site (tests/editorial/test_broken_links_in_forms
    # proves it); switched off here, so the hostile text is stored and the sanitiser must hold on
    # its own wherever the text shows.
    monkeypatch.setattr("briefings.admin.forms.text_problems", lambda *args, **kwargs: [])
    obj, urls = PLACES[model.__name__].build()
    pages = Pages(client, urls)
    # The admin's forms are slow to round-trip: the blocks only (the model test does both).
    for index, value in enumerate(hostile_values(model, name, inline=False)):
        save_through_admin(admin_client, obj, name, value)
        pages.check(f"{model.__name__}.{name} value {index} (admin)")

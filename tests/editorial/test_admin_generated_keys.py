"""Keys and slugs the admin makes from what the editor writes (briefings/admin/keys.py): no field
an editor must invent, each still editable."""

import pytest
from django.urls import reverse

from briefings.admin.forms import CitationForm
from briefings.content.keys import short_slug
from briefings.models import Briefing, Reference, Role, Section, Theme


def _inline(prefix, rows, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
    return data


LONG_TITLE = (
    "Key messages from research on child sexual exploitation: Strategic commissioning of "
    "children's services"
)


def _add(client, title=LONG_TITLE, slug="", sections=(), messages=(), citations=()):
    theme = Theme.objects.get(slug="going-missing")
    data = {
        "title": title,
        "slug": slug,
        "kind": "research-briefing",
        "status": "draft",
        "audiences": [Role.objects.get(slug="police").pk],
        "has_reference_list": "on",
        "also_available": "[]",
        **_inline(
            "sections",
            [
                {
                    "order": str(n),
                    "heading": h,
                    "key": "",
                    "status": "published",
                    "themes": [theme.pk],
                    "body": f"Text {n}.",
                }
                for n, h in enumerate(sections)
            ],
        ),
        **_inline(
            "key_messages",
            [
                {"order": str(n), "text": t, "key": "", "themes": [theme.pk]}
                for n, t in enumerate(messages)
            ],
        ),
        **_inline(
            "citations",
            [
                {
                    "order": str(n),
                    "local_key": "",
                    "reference": ref.pk,
                    "label": "",
                    "entry": str(ref),
                    "listed": "on",
                }
                for n, ref in enumerate(citations)
            ],
        ),
    }
    response = client.post(reverse("admin:briefings_briefing_add"), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    return Briefing.objects.get(title=title) if title != "Police" else None


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        (LONG_TITLE, "key-messages-from-research-on-child-sexual-exploitation"),
        ("Police", "police"),
        ("Young people’s voices: what helps", "young-peoples-voices-what-helps"),
        ("a" * 70, "a" * 60),
    ],
)
def test_a_slug_is_at_most_60_characters_cut_between_words(text, slug):
    assert short_slug(text) == slug
    assert len(short_slug(text)) <= 60


def test_a_new_documents_slug_is_made_from_its_title(editor_client):
    briefing = _add(editor_client)
    assert briefing.slug == "key-messages-from-research-on-child-sexual-exploitation"
    second = _add(editor_client, title=LONG_TITLE + " (second edition)")
    assert second.slug == "key-messages-from-research-on-child-sexual-exploitation-2"


def test_a_slug_the_editor_types_is_kept(editor_client):
    assert _add(editor_client, slug="childrens-services").slug == "childrens-services"


def test_sections_key_messages_and_citations_get_keys_from_what_they_say(editor_client):
    coy = Reference.objects.filter(authors="Coy, M.", year="2009").first()
    coy_2016 = Reference.objects.filter(authors="Coy, M.").exclude(year="2009").first()
    briefing = _add(
        editor_client,
        sections=["Barriers to engagement", "Working with parents and carers"],
        messages=["Exploitation can happen to young people from *all* backgrounds."],
        citations=[coy, coy_2016],
    )
    assert list(briefing.sections.order_by("order").values_list("key", flat=True)) == [
        "barriers-to-engagement",
        "working-with-parents-and-carers",
    ]
    assert briefing.key_messages.get().key == "exploitation-can-happen-to-young-people"
    keys = list(briefing.citations.order_by("order").values_list("local_key", flat=True))
    assert keys == ["coy-2009", f"coy-{coy_2016.year}"]


def test_a_second_section_with_the_same_heading_gets_its_own_key(editor_client):
    briefing = _add(editor_client, sections=["Findings"])
    url = reverse("admin:briefings_section_add")
    response = editor_client.post(
        url,
        {
            "briefing": briefing.pk,
            "order": "1",
            "heading": "Findings",
            "key": "",
            "slug": "findings-again",
            "status": "published",
            "themes": [Theme.objects.get(slug="going-missing").pk],
            "body": "More.",
        },
    )
    assert response.status_code == 302
    assert set(Section.objects.filter(briefing=briefing).values_list("key", flat=True)) == {
        "findings",
        "findings-2",
    }


def test_a_citation_key_that_clashes_gets_a_letter(editor_client):
    coy = Reference.objects.filter(authors="Coy, M.", year="2009").first()
    briefing = _add(editor_client, citations=[coy])
    other = Reference.objects.create(
        key="coy-2009-other", authors="Coy, M.", year="2009", title="X"
    )
    form = CitationForm(
        data={
            "order": "1",
            "local_key": "",
            "reference": other.pk,
            "label": "",
            "entry": "Coy",
            "listed": "on",
        },
        instance=briefing.citations.model(briefing=briefing),
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["local_key"] == "coy-2009a"


def test_rows_alike_added_in_one_save_each_get_their_own_key(editor_client):
    # Generated keys must differ within one save too, not only from the rows already stored.
    coy = Reference.objects.filter(authors="Coy, M.", year="2009").first()
    other = Reference.objects.create(key="coy-2009-other", authors="Coy, M.", year="2009")
    briefing = _add(
        editor_client,
        sections=["Findings", "Findings", "Findings"],
        messages=["Listen to young people.", "Listen to young people."],
        citations=[coy, other],
    )
    sections = list(briefing.sections.order_by("order").values_list("key", "slug"))
    assert sections == [
        ("findings", "findings"),
        ("findings-2", "findings-2"),
        ("findings-3", "findings-3"),
    ]
    messages = list(briefing.key_messages.order_by("order").values_list("key", flat=True))
    assert len(set(messages)) == 2
    assert messages[0] == "listen-to-young-people"
    citations = list(briefing.citations.order_by("order").values_list("local_key", flat=True))
    assert len(set(citations)) == 2
    assert all(key.startswith("coy-2009") for key in citations)

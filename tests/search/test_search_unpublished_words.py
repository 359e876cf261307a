"""Nothing a reader sees around the results reveals a word only unpublished content holds
(issue 14.4): no spelling suggestion, no facet, no count, whatever made the text unpublished."""

from datetime import timedelta

import pytest
from django.utils import timezone

from briefings.models import Status
from tests.support.search import make_document, outcome_of

pytestmark = pytest.mark.django_db

SECRET = "Pangolinhood"  # a word no published text contains
TYPED = "pangolinhod"  # one letter off: what a reader would type to be offered it


def draft_document():
    make_document("leak-doc", [("s1", "Heading", f"{SECRET} body.")], status=Status.DRAFT)


def scheduled_document():
    later = timezone.now() + timedelta(days=1)
    make_document("leak-doc", [("s1", "Heading", f"{SECRET} body.")], publish_from=later)


def draft_section():
    make_document(
        "leak-doc",
        [("s0", "Open", "Open text."), ("s1", f"{SECRET} heading", "Text.", Status.DRAFT)],
    )


def child_of_a_draft_section():
    make_document(
        "leak-doc",
        [
            ("s0", "Open", "Open text."),
            ("s1", "Draft parent", "Parent text.", Status.DRAFT),
            ("s2", "Child", f"{SECRET} child text.", Status.PUBLISHED, "s1"),
        ],
    )


def key_message_of_a_draft():
    make_document("leak-doc", key_messages=[("k1", f"{SECRET} message.")], status=Status.DRAFT)


def reference_of_a_draft():
    make_document("leak-doc", references=[("r1", f"{SECRET} studies")], status=Status.DRAFT)


@pytest.mark.parametrize(
    "unpublished",
    [
        draft_document,
        scheduled_document,
        draft_section,
        child_of_a_draft_section,
        key_message_of_a_draft,
        reference_of_a_draft,
    ],
)
def test_a_word_only_unpublished_text_holds_is_never_suggested_found_or_counted(unpublished):
    unpublished()
    for typed in (TYPED, SECRET.lower()):
        outcome = outcome_of(q=typed)
        assert outcome.suggestion is None, typed
        assert outcome.total == 0, typed
        assert [o for facet in outcome.facets for o in facet.options if o.count] == [], typed

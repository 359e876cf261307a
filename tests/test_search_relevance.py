"""Relevance: practitioners' questions, written from the documents, each with the sections that
answer it. The right section must be in the top three for at least 90% of them, on whichever
database the suite runs on (CI runs it on SQLite and on PostgreSQL).

The answers were chosen by reading the documents (fixtures/briefings/*.md), not by looking at
what the search returns. Keys are "document/section-key"; a hit on a young person's quote counts
for the section that quotes it.
"""

import pytest

from briefings.models import Section
from tests.search_support import outcome_of, result_keys

pytestmark = pytest.mark.django_db

QUESTIONS = [
    # Police
    (
        "what if the young person will not talk to us?",
        {
            "social-workers/invitation-to-tell",
            "police/barriers-to-engagement",
            "cse-factsheet/victim-engagement",
            "police/investigating-cse",
        },
    ),
    (
        "why do young people not report exploitation to the police",
        {"police/barriers-to-engagement", "cse-factsheet/victim-engagement"},
    ),
    (
        "how can officers build trust with a young person",
        {"police/barriers-to-engagement", "social-workers/relationship-based-practice"},
    ),
    (
        "civil and criminal measures to disrupt perpetrators",
        {"police/disrupting-offenders", "cse-factsheet/disruption-tactics"},
    ),
    ("child abduction warning notices", {"cse-factsheet/disruption-tactics"}),
    ("reluctant witness and victimless prosecution", {"police/investigating-cse"}),
    (
        "early advice from the Crown Prosecution Service",
        {
            "police/investigating-cse",
            "cse-factsheet/investigative-success",
            "cse-factsheet/cps-views",
        },
    ),
    ("can a 16 year old consent to sex", {"cse-factsheet/consent"}),
    (
        "how do offenders groom and trap victims",
        {"cse-factsheet/victims-trapped", "cse-factsheet/attachment"},
    ),
    ("why does the victim keep going back to the offender", {"cse-factsheet/attachment"}),
    (
        "advice for parents whose child keeps going missing",
        {
            "cse-factsheet/parents-carers",
            "social-workers/involving-parents-and-foster-carers",
            "police/working-with-other-services",
        },
    ),
    ("police work in schools to raise awareness", {"police/preventing-cse"}),
    # Social workers
    (
        "professional curiosity and asking difficult questions",
        {"social-workers/invitation-to-tell", "social-workers/child-sexual-exploitation"},
    ),
    (
        "young person believes they are in love with the abuser",
        {
            "social-workers/relationship-based-practice",
            "commissioning-health-care-services/ensuring-needs-of-victims-met",
            "police/barriers-to-engagement",
        },
    ),
    ("looked after children and placement moves", {"social-workers/young-people-in-care"}),
    (
        "is it safe to involve parents who may be part of the abuse",
        {
            "social-workers/involving-parents-and-foster-carers",
            "police/working-with-other-services",
        },
    ),
    (
        "forced marriage and honour based violence",
        {"social-workers/involving-parents-and-foster-carers"},
    ),
    (
        "support networks for the transition beyond 18",
        {"social-workers/working-with-other-services", "multi-agency-working/integrated-approach"},
    ),
    (
        "supervision and the emotional toll of relationship-based work",
        {"social-workers/relationship-based-practice"},
    ),
    (
        "sharing nicknames and car registrations with the police",
        {
            "social-workers/early-intervention-prevention-disruption",
            "multi-agency-working/sharing-intelligence",
            "police/investigating-cse",
        },
    ),
    # Multi-agency coordinators
    (
        "multi-agency safeguarding hub",
        {"multi-agency-working/integrated-approach", "police/working-with-other-services"},
    ),
    (
        "the voluntary sector in multi-agency arrangements",
        {"multi-agency-working/flexible-approaches"},
    ),
    (
        "confidentiality concerns that stop information sharing",
        {
            "multi-agency-working/information-sharing",
            "commissioning-health-care-services/multi-agency-working",
        },
    ),
    ("mapping names and known associates on a wall", {"multi-agency-working/sharing-intelligence"}),
    (
        "costs of referral pathways and shared IT systems",
        {"multi-agency-working/sharing-resources"},
    ),
    (
        "power dynamics between statutory and non-statutory agencies",
        {"multi-agency-working/shared-expectations"},
    ),
    # Health commissioners
    (
        "long waiting times for CAMHS",
        {"commissioning-health-care-services/assessing-need-and-planning"},
    ),
    (
        "sexual health needs of exploited young people",
        {"commissioning-health-care-services/supporting-health-care-needs"},
    ),
    (
        "public health campaigns with young people",
        {"commissioning-health-care-services/prevention-and-early-intervention"},
    ),
    (
        "joint needs assessments and problem profiles",
        {"commissioning-health-care-services/assessing-need-and-planning"},
    ),
    # The factsheet
    ("warning signs of CSE", {"cse-factsheet/vulnerabilities", "cse-factsheet/identifying-cse"}),
]


def test_the_question_set_is_large_enough_to_mean_something():
    assert len(QUESTIONS) >= 25


def test_the_answer_is_in_the_top_three_for_at_least_nine_questions_in_ten():
    misses = []
    for question, answers in QUESTIONS:
        top = result_keys(outcome_of(q=question), limit=3)
        if not answers & set(top):
            misses.append(f"{question!r}: expected one of {sorted(answers)}, got {top}")
    hit_rate = 1 - len(misses) / len(QUESTIONS)
    assert hit_rate >= 0.9, f"top-3 hit rate {hit_rate:.0%}; misses:\n" + "\n".join(misses)


def test_every_expected_answer_names_a_real_section():
    known = {f"{s.briefing.slug}/{s.key}" for s in Section.objects.select_related("briefing")}
    named = {answer for _, answers in QUESTIONS for answer in answers}
    assert named <= known, named - known

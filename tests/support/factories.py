"""Small builders for documents of any size, for tests that must not depend on the real content."""

from briefings.models import Briefing, Citation, KeyMessage, Reference, Role, Section, Status, Theme


def make_briefing(
    slug, sections=3, *, role="police", themes=("trafficking",), status=Status.PUBLISHED
):
    briefing = Briefing.objects.create(
        title=f"Test briefing {slug}",
        slug=slug,
        status=status,
        published_year=2017,
        published_month=1,
        intro="An introduction about CSE.",
    )
    briefing.audiences.set([Role.objects.get(slug=role)])
    theme_objs = list(Theme.objects.filter(slug__in=themes))
    reference, _ = Reference.objects.get_or_create(
        key=f"test-{slug}", defaults={"authors": "Test, A.", "year": "2020", "title": "A work"}
    )
    Citation.objects.create(
        briefing=briefing,
        reference=reference,
        local_key="test-2020",
        label="Test, 2020",
        entry="Test, A. (2020) *A work*",
    )
    resolver = briefing.citation_resolver()
    parent = None
    for index in range(sections):
        section = Section(
            briefing=briefing,
            key=f"s{index}",
            heading=f"Section {index}",
            order=index,
            parent=parent if index % 3 == 2 else None,
            body=f"Text of section {index} ([Test, 2020](cite:test-2020)).\n\n"
            "> “A young person's words.”\n>\n> — Young person A",
        )
        section.save(resolver=resolver)
        section.themes.set(theme_objs)
        if index % 3 == 0:
            parent = section
    for index in range(3):
        message = KeyMessage.objects.create(
            briefing=briefing, key=f"k{index}", order=index, text=f"Key message {index}."
        )
        message.themes.set(theme_objs)
    return briefing

"""Keep the index in step with every save and delete, in the same transaction as the edit.

Admin saves, the importer and any other code that saves models through the ORM all pass through
here, so an edit is searchable on the next request. Each handler re-indexes only the object that
changed (a handful of queries) and writes nothing when its text did not change.

Deletes of briefings and sections need no handler of their own: index rows point at them with
cascading foreign keys, and each index row deleted takes its words out of the spelling vocabulary
(entry_deleted). Publication status needs none either: it is read live when searching. A document's
roles and a row's themes are also held in the row as filter words (index.facet_tokens), so
changing them re-indexes what carries them; a role or theme deleted leaves words no filter can
name any more, which is harmless. Code that bypasses signals (``bulk_create``,
``QuerySet.update``) must run ``manage.py rebuild_search_index`` afterwards, as
``generate_corpus`` does.
"""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from briefings.models import (
    Briefing,
    Citation,
    GlossaryTerm,
    KeyMessage,
    Reference,
    Role,
    SearchEntry,
    Section,
    Theme,
    ThemedKeyMessage,
    ThemedSection,
)

from . import index
from .engines import backend_for


@receiver(post_delete, sender=SearchEntry, dispatch_uid="search.entry_deleted")
def entry_deleted(sender, instance, using, **kwargs):
    # However rows go (index.sync, a document or section deleted with its rows), their words
    # leave the spelling vocabulary in the same transaction, where the database does not do it
    # itself. Django sends this for each row it meant to delete, whether or not another delete
    # got there first, so the engine goes by the rows the database says it deleted.
    backend_for(using).rows_deleted()


@receiver(post_save, sender=Section, dispatch_uid="search.section_saved")
def section_saved(sender, instance, **kwargs):
    # Section.save() renders body_html before saving, so the quotes are read from it here rather
    # than from the Quote rows, which the save rewrites only after this signal.
    # Sub-sections are indexed with their parent's heading.
    index.index_sections(Section.objects.filter(Q(pk=instance.pk) | Q(parent=instance.pk)))


@receiver(post_save, sender=KeyMessage, dispatch_uid="search.key_message_saved")
def key_message_saved(sender, instance, **kwargs):
    index.index_key_messages(KeyMessage.objects.filter(pk=instance.pk))


@receiver(post_delete, sender=KeyMessage, dispatch_uid="search.key_message_deleted")
def key_message_deleted(sender, instance, **kwargs):
    index.remove("key-message", instance.pk)


@receiver(post_save, sender=Citation, dispatch_uid="search.citation_saved")
def citation_saved(sender, instance, **kwargs):
    index.index_citations(Citation.objects.filter(pk=instance.pk))


@receiver(post_delete, sender=Citation, dispatch_uid="search.citation_deleted")
def citation_deleted(sender, instance, **kwargs):
    index.remove("reference", instance.pk)


@receiver(post_save, sender=Reference, dispatch_uid="search.reference_saved")
def reference_saved(sender, instance, created=False, **kwargs):
    if not created:
        index.index_citations(Citation.objects.filter(reference=instance))


@receiver(post_save, sender=GlossaryTerm, dispatch_uid="search.glossary_saved")
def glossary_saved(sender, instance, **kwargs):
    index.index_glossary(GlossaryTerm.objects.filter(pk=instance.pk))


@receiver(post_save, sender=Briefing, dispatch_uid="search.briefing_saved")
def briefing_saved(sender, instance, **kwargs):
    # A term is searchable while a published document defines it (GlossaryTerm.public()), so a
    # change of the document's status can show or hide the terms it defines.
    index.index_glossary(GlossaryTerm.objects.filter(defined_in=instance))


@receiver(post_delete, sender=Briefing, dispatch_uid="search.briefing_deleted")
def briefing_deleted(sender, instance, **kwargs):
    terms = getattr(instance, "_defined_term_ids", [])
    index.index_glossary(GlossaryTerm.objects.filter(pk__in=terms))


@receiver(m2m_changed, sender=Briefing.glossary_terms.through, dispatch_uid="search.definitions")
def definitions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action in ("post_add", "post_remove") and pk_set:
        terms = {instance.pk} if reverse else pk_set
        index.index_glossary(GlossaryTerm.objects.filter(pk__in=terms))
    elif action == "post_clear":
        index.index_glossary(GlossaryTerm.objects.all())


@receiver(post_delete, sender=GlossaryTerm, dispatch_uid="search.glossary_deleted")
def glossary_deleted(sender, instance, **kwargs):
    index.remove("glossary", instance.pk)


@receiver(post_save, sender=Theme, dispatch_uid="search.theme_saved")
def theme_saved(sender, instance, created=False, **kwargs):
    # Theme names are indexed with what carries them; a new theme carries nothing yet.
    if not created:
        index.index_sections(Section.objects.filter(themes=instance))
        index.index_key_messages(KeyMessage.objects.filter(themes=instance))


def _themed(model, through):
    def changed(sender, instance, action, reverse, pk_set, **kwargs):
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if action != "post_clear" and not pk_set:
            return  # taggit sends post_add even when nothing was added
        if isinstance(instance, Theme):
            owners = model.objects.filter(pk__in=pk_set) if pk_set else model.objects.none()
        else:
            owners = model.objects.filter(pk=instance.pk)
        if model is Section:
            index.index_sections(owners)
        else:
            index.index_key_messages(owners)

    m2m_changed.connect(changed, sender=through, weak=False, dispatch_uid=f"search.{through}")


_themed(Section, ThemedSection)
_themed(KeyMessage, ThemedKeyMessage)


@receiver(m2m_changed, sender=Briefing.audiences.through, dispatch_uid="search.audiences")
def audiences_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action != "post_clear" and not pk_set:
        return
    if not isinstance(instance, Role):
        briefings = Briefing.objects.filter(pk=instance.pk)
    elif pk_set:
        briefings = Briefing.objects.filter(pk__in=pk_set)
    else:
        # A role cleared of all its documents no longer says which they were.
        briefings = Briefing.objects.all()
    index.index_sections(Section.objects.filter(briefing__in=briefings))
    index.index_key_messages(KeyMessage.objects.filter(briefing__in=briefings))
    index.index_citations(Citation.objects.filter(briefing__in=briefings))

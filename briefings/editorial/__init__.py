"""The editorial workflow: how a document changes and how every change can be undone.

- services: the writes (publish, schedule, return to draft, mark reviewed, change notes, edits
  recorded as revisions, revert, recover, an import's revisions)
- selectors: the reads (a document's revisions, what was deleted, reviews due)
- revisions: django-reversion underneath (what a revision holds, restoring one)
- diff: a readable comparison of two revisions

The admin, the importer and the management commands call services and selectors only.
"""

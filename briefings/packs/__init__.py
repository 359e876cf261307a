"""Trainer packs: a trainer's ordered selection of sections and key messages, shared by a link.

Its own Django app (label ``packs``), nested in ``briefings`` because it reads the guidance; the
guidance never depends on it. Packs are not page content: editing one leaves the public page
cache alone (see ``portal.caching``).
"""

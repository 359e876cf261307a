"""`make cluster-test`: the multi-server deployment in deploy/, run on loopback and proved.

PostgreSQL (its own throw-away cluster), Redis, nginx and two gunicorn servers with separate
``var/`` directories, all started from the files in deploy/ (ports and paths changed, nothing
else), then checked: shared content version, packs, sessions and sign-in lock-outs across servers,
the reader's address, compression, a load of readers while a server stops, a Redis outage and a
PostgreSQL restart. Prints a table; exit 1 if any check fails. See docs/deploy.md.
"""

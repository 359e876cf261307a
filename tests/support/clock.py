"""A fixed moment for tests that show a date: the expected text is written out ("2 March 2026")
rather than computed the way the page computes it, and a run near midnight cannot change it.
Use it with a frozen clock: ``@time_machine.travel(MOMENT, tick=False)``."""

import datetime

# Midday in London (GMT in March), so the local date and the UTC date are the same day.
MOMENT = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)

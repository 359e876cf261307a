"""List the documents whose review is overdue or coming up."""

from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils.formats import date_format

from briefings.editorial.selectors import REVIEW_DUE_WITHIN_DAYS, review_report
from briefings.models import Status


def _date(value):
    return date_format(value, "j F Y") if value else "never"


class Command(BaseCommand):
    help = "List documents whose review is overdue or due soon, oldest first."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=REVIEW_DUE_WITHIN_DAYS,
            help=f"How far ahead counts as due (default {REVIEW_DUE_WITHIN_DAYS} days).",
        )

    def handle(self, *args, days, **options):
        report = review_report(days)
        today = report.today
        self.stdout.write(f"Review report for {_date(today)}")
        self.stdout.write("")
        if report.overdue:
            self.stdout.write(self.style.ERROR(f"Overdue ({len(report.overdue)}):"))
            for briefing in report.overdue:
                late = (today - briefing.next_review_due).days
                self._line(briefing, f"{late} day{'s' if late != 1 else ''} overdue")
            self.stdout.write("")
        if report.due:
            self.stdout.write(
                self.style.WARNING(f"Due in the next {days} days ({len(report.due)}):")
            )
            for briefing in report.due:
                left = (briefing.next_review_due - today).days
                self._line(briefing, "due today" if not left else f"due in {left} days")
            self.stdout.write("")
        if not report.overdue and not report.due:
            self.stdout.write(
                self.style.SUCCESS(f"No document is overdue or due in the next {days} days.")
            )
        if report.undated:
            undated = report.undated
            self.stdout.write(
                f"{undated} document{' has' if undated == 1 else 's have'} no review date: "
                "set “Next review due” in the admin."
            )

    def _line(self, briefing, when):
        draft = " (draft)" if briefing.status == Status.DRAFT else ""
        self.stdout.write(f"  {briefing.title}{draft}")
        self.stdout.write(
            f"    review due {_date(briefing.next_review_due)} ({when}); "
            f"last reviewed {_date(briefing.last_reviewed)}"
        )
        self.stdout.write(f"    {reverse('admin:briefings_briefing_change', args=[briefing.pk])}")

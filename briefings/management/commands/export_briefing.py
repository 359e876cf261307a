from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from briefings.content.exporter import export_briefing
from briefings.models import Briefing


class Command(BaseCommand):
    help = "Write a briefing in the content format (docs/content-format.md) to stdout or a file."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("-o", "--output", help="Write to this file instead of stdout.")

    def handle(self, *args, slug, output, **options):
        briefing = Briefing.objects.filter(slug=slug).first()
        if briefing is None:
            raise CommandError(f"No briefing with slug {slug!r}.")
        text = export_briefing(briefing)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {output}")
        else:
            self.stdout.write(text, ending="")

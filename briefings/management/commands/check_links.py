"""Report links in the content that lead nowhere (see briefings/links.py)."""

from django.core.management.base import BaseCommand, CommandError

from briefings.links import LinkChecker


class Command(BaseCommand):
    help = (
        "Check every link in the content: citations, internal links and #anchors (and, with "
        "--external, web addresses). Exits with status 1 when a link is broken."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--external",
            action="store_true",
            help="Also fetch every http(s) link (slow; needs the internet).",
        )

    def handle(self, *args, external=False, **options):
        count, problems = LinkChecker().check(external=external)
        for problem in problems:
            link = problem.link
            label = f"“{link.text}” → " if link.text else ""
            self.stdout.write(f"{link.where}: {label}{link.href}")
            self.stdout.write(f"    {problem.reason}; fix it at {link.edit_url}")
        scope = "internal and external" if external else "internal"
        summary = f"Checked {count} links ({scope})"
        if not problems:
            self.stdout.write(self.style.SUCCESS(f"{summary}: none broken."))
            return
        noun = "link is" if len(problems) == 1 else "links are"
        raise CommandError(f"{summary}: {len(problems)} {noun} broken.", returncode=1)

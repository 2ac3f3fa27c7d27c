"""convocation letter render | check | import: letters from the command line."""

import datetime as dt
import sys
from json import dumps
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from convocation.letters import legacy
from convocation.letters.checks import check_letter, check_meeting
from convocation.letters.composition import compose_letter, letter_facts
from convocation.letters.models import Letter
from convocation.letters.rendering import render
from convocation.meetings.models import Meeting
from convocation.meetings.queries import meeting_with_schedule
from convocation.treaties.models import Treaty

FORMATS = ("txt", "html", "pdf", "docx")
LANGUAGES = ("en", "fr", "es")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date as YYYY-MM-DD.") from error


class Command(BaseCommand):
    help = "Render, check or import invitation letters."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        render_parser = actions.add_parser("render", help="render a meeting's invitation")
        render_parser.add_argument("meeting", help="the meeting's short name, e.g. att-csp12-wg")
        render_parser.add_argument("--lang", choices=LANGUAGES, default="en")
        render_parser.add_argument("--format", choices=FORMATS, default="txt")
        render_parser.add_argument(
            "-o", "--output", type=Path, help="file to write (default: stdout)"
        )
        render_parser.add_argument("--date", type=_date, help="date of the letter (default: today)")

        check_parser = actions.add_parser("check", help="list what a careful officer would catch")
        check_parser.add_argument("meeting")
        check_parser.add_argument("--lang", choices=LANGUAGES, default="en")
        check_parser.add_argument("--date", type=_date)

        import_parser = actions.add_parser("import", help="read a past invitation letter")
        import_parser.add_argument("file", type=Path)
        import_parser.add_argument("--dry-run", action="store_true")
        import_parser.add_argument("--json", action="store_true")
        import_parser.add_argument("--treaty", default="att")

    def handle(self, *args, action: str, **options):
        if action == "import":
            return self._import(**options)
        meeting = self._meeting(options["meeting"])
        letter_date = options["date"] or self._latest_letter_date(meeting, options["lang"])
        facts = letter_facts(meeting)
        composed = compose_letter(facts, language=options["lang"], letter_date=letter_date)
        if action == "render":
            data = render(composed, options["format"])
            output = options["output"]
            if output is None:
                sys.stdout.buffer.write(data)
                sys.stdout.flush()
                return
            try:
                output.write_bytes(data)
            except OSError as error:
                raise CommandError(f"Cannot write {output}: {error.strerror}") from error
            self.stderr.write(f"Wrote {output} ({len(data):,} bytes).")
            return
        findings = check_letter(composed, facts, on=letter_date)
        for finding in findings:
            self.stdout.write(f"{finding.severity.upper()}: {finding.where}: {finding.message}")
        errors = sum(finding.severity == "error" for finding in findings)
        self.stdout.write(f"{errors} errors, {len(findings) - errors} warnings.")
        if errors:
            raise CommandError("The letter has errors; it would not be issued.")

    def _meeting(self, slug: str) -> Meeting:
        try:
            return meeting_with_schedule(slug)
        except Meeting.DoesNotExist as error:
            raise CommandError(f"No meeting with the short name {slug!r}.") from error

    def _latest_letter_date(self, meeting: Meeting, language: str) -> dt.date:
        latest = (
            Letter.objects.filter(meeting=meeting, language=language)
            .order_by("-letter_date")
            .values_list("letter_date", flat=True)
            .first()
        )
        return latest or dt.date.today()

    def _import(self, *, file: Path, dry_run: bool, json: bool, treaty: str, **options):
        try:
            treaty_record = Treaty.objects.get(code__iexact=treaty)
        except Treaty.DoesNotExist as error:
            raise CommandError(f"No treaty with the code {treaty!r}.") from error
        try:
            recognised = legacy.read_letter_file(file)
            if json:
                document = legacy.recognised_as_schedule_json(recognised, treaty=treaty_record)
                self.stdout.write(dumps(document, ensure_ascii=False, indent=2))
                return
            result = legacy.apply_letter(recognised, treaty=treaty_record, dry_run=dry_run)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        except legacy.LegacyLetterError as error:
            raise CommandError(f"{file}: {error}; nothing was written.") from error
        write = self.stdout.write
        write("Recognised:")
        for line in recognised.recognised:
            write(f"  {line}")
        write("Not recognised:" if recognised.not_recognised else "Not recognised: nothing.")
        for line in recognised.not_recognised:
            write(f"  {line}")
        for line in recognised.disagreements:
            write(f"ERROR: the letter disagrees with itself: {line}")
        action = "Would change" if dry_run else "Changed"
        write(f"{action} {result.meeting.slug}:" if result.changed else "Nothing to change.")
        for change in result.changes:
            write(f"  {change}")
        for note in result.notes:
            write(f"Note: {note}")
        if not dry_run:
            meeting = meeting_with_schedule(result.meeting.slug)
            for finding in check_meeting(meeting):
                write(f"{finding.severity.upper()}: {finding.where}: {finding.message}")

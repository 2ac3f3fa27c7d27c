from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from convocation.treaties.imports import ImportRejected, import_treaty_actions
from convocation.treaties.models import Treaty


class Command(BaseCommand):
    help = "Load a CSV table of treaty actions (columns state, action, date); all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV file with columns state, action, date")
        parser.add_argument("--treaty", default="att", help="treaty code (default: att)")

    def handle(self, *args, file: Path, treaty: str, **options):
        try:
            treaty_record = Treaty.objects.get(code__iexact=treaty)
        except Treaty.DoesNotExist as error:
            raise CommandError(f"No treaty with the code {treaty!r}.") from error
        try:
            with file.open(newline="", encoding="utf-8-sig") as lines:
                result = import_treaty_actions(treaty=treaty_record, lines=lines)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{file} is not UTF-8 text.") from error
        except ImportRejected as rejected:
            raise CommandError(
                f"{file} was not imported; nothing was written.\n" + "\n".join(rejected.problems)
            ) from rejected
        self.stdout.write(
            f"Imported {result.created + result.updated} treaty actions "
            f"({result.created} new, {result.updated} updated)."
        )

"""The ``convocation`` console script: Django's manage.py under the product's name."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command; ``load-demo`` and ``load_demo`` name the same command."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convocation.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        # Domain commands are spelled with hyphens on the command line (import-treaty-actions),
        # while Django finds commands by module name, which cannot hold a hyphen.
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()

"""Apps import downwards only, in the order of LAYERS (docs/architecture.md draws it)."""

import ast
from pathlib import Path

import convocation

LAYERS = [
    "treaties",
    "people",
    "accounts",
    "cycles",
    "meetings",
    "letters",
    "registrations",
    "documents",
    "attendance",
    "reports",
    "side_events",
    "nominations",
]
SOURCE = Path(convocation.__file__).parent


def imported_apps(app: str) -> set[str]:
    found = set()
    for path in (SOURCE / app).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "convocation" and len(parts) > 1 and parts[1] in LAYERS:
                    found.add(parts[1])
    # Migrations name their dependencies by app label; they follow the same rule.
    return found - {app}


def test_apps_import_only_the_layers_below_them():
    for position, app in enumerate(LAYERS):
        allowed = set(LAYERS[:position])
        assert imported_apps(app) <= allowed, f"{app} imports {imported_apps(app) - allowed}"


def test_the_check_sees_imports():
    assert imported_apps("meetings") == {"treaties", "people", "cycles"}

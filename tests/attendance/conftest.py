from tests.registrations.conftest import week  # noqa: F401  (the Working Group week)
from tests.reports.conftest import sample  # noqa: F401  (its twelve registrations)

"""Demo vacancies: the CSP12 offices the 2026 invitation reports vacant, open for nominations.

The 2026 letter (16 January 2026) reports the WGETI Chair and the Facilitator of the
Sub-working Group on current and emerging issues vacant and urges eligible States Parties
to nominate. The deadline is set four weeks after loading, so that the demo can be tried;
a second run keeps what an officer has changed since.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from convocation.cycles.models import Office
from convocation.nominations.models import Vacancy

ANNOUNCED = dt.date(2026, 1, 16)
NOTES = {
    Office.Title.CHAIR: "The Chair convenes and guides the Working Group's meetings.",
    Office.Title.FACILITATOR: "The Facilitator leads the sub-working group's discussions.",
}


@transaction.atomic
def load_nomination_demo() -> list[Vacancy]:
    offices = Office.objects.filter(
        cycle__treaty__code="att",
        cycle__number=12,
        holder__isnull=True,
        title__in=[Office.Title.CHAIR, Office.Title.FACILITATOR],
    ).select_related("cycle", "body")
    deadline = max(ANNOUNCED, timezone.localdate()) + dt.timedelta(days=28)
    vacancies = []
    for office in offices:
        vacancy = Vacancy.objects.filter(office=office).order_by("-id").first()
        if vacancy is None:
            vacancy = Vacancy.objects.create(
                office=office, announced_on=ANNOUNCED, deadline=deadline, note=NOTES[office.title]
            )
        vacancies.append(vacancy)
    return vacancies

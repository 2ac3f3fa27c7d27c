"""Gender-disaggregated attendance figures of a meeting, and their trend across meetings.

Every figure is counted by the database (``Count`` with ``filter=Q(...)`` over
``values(...).annotate(...)``): Python only adds up the few grouped rows that come back,
never one row per registration. A meeting's figures take five queries whatever its size;
the trend over any number of meetings, four.

Definitions, as the reports state them:

- **registered**: registrations with the status *confirmed* (pending, waiting-list,
  refused and withdrawn registrations are not counted);
- **attended**: registered and checked in on at least one day;
- **delegation**: the State or organisation a registration is for; a delegation counts
  when at least one of its members is registered;
- **headed by a woman**: a delegation with a registered head of delegation whose gender is
  female (out of the delegations with a registered head);
- **of women only**: a delegation all of whose *registered* members are women (out of all
  delegations), whether or not they attended;
- **prefer not to say**: also counts a delegate, or a speaker, whose gender was not asked
  (the meeting does not collect gender data);
- **speakers**: turns at the floor (interventions) by the gender of the speaker noted, and
  the distinct persons who spoke; a turn whose speaker was not noted counts as "not noted".
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Min,
    Q,
    QuerySet,
    Sum,
    When,
)
from django.utils.translation import gettext_lazy as _

from convocation.attendance.models import Attendance, Intervention
from convocation.cycles.models import ConferenceCycle
from convocation.meetings.models import Meeting
from convocation.people.models import Person
from convocation.registrations.models import ParticipantCategory, Registration

GENDERS = [value for value, _label in Person.Gender.choices]
FEMALE = Person.Gender.FEMALE.value
NOT_SAID = Person.Gender.NOT_SAID.value
CONFIRMED = Registration.Status.CONFIRMED
HEAD = Registration.Role.HEAD


def share(part: int, whole: int) -> float | None:
    """The part as a fraction of the whole, or None when the whole is nothing."""
    return part / whole if whole else None


@dataclass(frozen=True)
class ByGender:
    """A count split by the gender the delegates gave."""

    female: int = 0
    male: int = 0
    self_described: int = 0
    not_said: int = 0

    @property
    def total(self) -> int:
        return self.female + self.male + self.self_described + self.not_said

    @property
    def share_of_women(self) -> float | None:
        return share(self.female, self.total)

    def values(self) -> list[int]:
        return [getattr(self, gender) for gender in GENDERS]

    def __add__(self, other: "ByGender") -> "ByGender":
        return ByGender(*(a + b for a, b in zip(self.values(), other.values(), strict=True)))


@dataclass(frozen=True)
class Row:
    """Registered and attended, by gender, for one group (a category, a role, a mode)."""

    key: str
    label: str
    registered: ByGender
    attended: ByGender


@dataclass(frozen=True)
class Delegations:
    total: int
    with_head: int
    headed_by_woman: int
    women_only: int

    @property
    def share_headed_by_woman(self) -> float | None:
        return share(self.headed_by_woman, self.with_head)

    @property
    def share_women_only(self) -> float | None:
        return share(self.women_only, self.total)


@dataclass(frozen=True)
class Speakers:
    turns: ByGender
    turns_not_noted: int
    speakers: ByGender

    @property
    def all_turns(self) -> int:
        return self.turns.total + self.turns_not_noted


@dataclass(frozen=True)
class MeetingFigures:
    meeting: Meeting
    total: Row
    by_category: list[Row]
    by_role: list[Row]
    by_mode: list[Row]
    delegations: Delegations
    speakers: Speakers
    by_day: list[tuple[dt.date, ByGender]] = field(default_factory=list)

    @property
    def heads(self) -> Row:
        return next(row for row in self.by_role if row.key == HEAD)


def counted(meeting: Meeting | None = None) -> QuerySet[Registration]:
    """The registrations the figures count: confirmed ones."""
    queryset = Registration.objects.filter(status=CONFIRMED)
    if meeting is not None:
        queryset = queryset.filter(meeting=meeting)
    return queryset


def attended(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """Those of the registrations checked in on at least one day.

    Written as ``pk IN (check-ins)`` rather than ``EXISTS`` per row: PostgreSQL answers it
    with one hash semi-join, where a subquery per registration made its plan look costly
    enough to be JIT-compiled, which alone took longer than the query (docs/performance.md).
    """
    return registrations.filter(pk__in=Attendance.objects.values("registration_id"))


def _by_gender(counts: dict[str, int]) -> ByGender:
    """A gender not given at all (the meeting did not ask it) counts as not said."""
    split = {gender: counts.get(gender, 0) for gender in GENDERS}
    split[NOT_SAID] += counts.get("", 0)
    return ByGender(**split)


def _rows(groups: list[dict], key: str, choices: list[tuple[str, str]]) -> list[Row]:
    """One row per choice, from the (category, role, mode, gender) groups of the database."""
    registered: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    attended: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for group in groups:
        registered[group[key]][group["gender"]] += group["registered"]
        attended[group[key]][group["gender"]] += group["attended"]
    return [
        Row(
            key=value,
            label=str(label),
            registered=_by_gender(registered[value]),
            attended=_by_gender(attended[value]),
        )
        for value, label in choices
    ]


def meeting_figures(meeting: Meeting) -> MeetingFigures:
    """Every figure of the meeting's report, in five queries."""
    dimensions = ("category", "role", "mode", "gender")
    registered = counted(meeting).values(*dimensions).annotate(count=Count("pk")).order_by()
    came = attended(counted(meeting)).values(*dimensions).annotate(count=Count("pk")).order_by()
    groups: dict[tuple, dict] = {}
    for measure, rows in (("registered", registered), ("attended", came)):
        for row in rows:
            key = tuple(row[name] for name in dimensions)
            group = groups.setdefault(
                key, {**dict(zip(dimensions, key, strict=True)), "registered": 0, "attended": 0}
            )
            group[measure] = row["count"]
    grouped = list(groups.values())
    total = _rows(
        [{**group, "all": "all"} for group in grouped], "all", [("all", str(_("All participants")))]
    )[0]
    return MeetingFigures(
        meeting=meeting,
        total=total,
        by_category=_rows(grouped, "category", ParticipantCategory.choices),
        by_role=_rows(grouped, "role", Registration.Role.choices),
        by_mode=_rows(grouped, "mode", Registration.Mode.choices),
        delegations=delegation_figures(meeting),
        speakers=speaker_figures(meeting),
        by_day=attendance_by_day(meeting),
    )


def delegation_figures(meeting: Meeting) -> Delegations:
    """Delegations headed by a woman and of women only: one query, grouped twice."""
    per_delegation = (
        Registration.objects.filter(meeting=meeting, status=CONFIRMED)
        .values("state_id", "organisation_id")
        .annotate(
            members=Count("pk"),
            women=Count("pk", filter=Q(gender=FEMALE)),
            heads=Count("pk", filter=Q(role=HEAD)),
            women_heads=Count("pk", filter=Q(role=HEAD, gender=FEMALE)),
        )
        .order_by()
    )

    def number_of(condition: Q) -> Sum:
        return Sum(Case(When(condition, then=1), default=0, output_field=IntegerField()))

    result = per_delegation.aggregate(
        total=Count("members"),
        with_head=number_of(Q(heads__gt=0)),
        headed_by_woman=number_of(Q(women_heads__gt=0)),
        women_only=number_of(Q(members=F("women"))),
    )
    return Delegations(**{name: value or 0 for name, value in result.items()})


def speaker_figures(meeting: Meeting) -> Speakers:
    groups = (
        Intervention.objects.filter(session__meeting=meeting)
        .values("speaker__gender")
        .annotate(turns=Count("pk"), speakers=Count("speaker", distinct=True))
        .order_by()
    )
    turns: dict[str, int] = {}
    speakers: dict[str, int] = {}
    not_noted = 0
    for group in groups:
        gender = group["speaker__gender"]
        if gender is None:
            not_noted += group["turns"]
        else:
            turns[gender] = group["turns"]
            speakers[gender] = group["speakers"]
    return Speakers(
        turns=_by_gender(turns), turns_not_noted=not_noted, speakers=_by_gender(speakers)
    )


def attendance_by_day(meeting: Meeting) -> list[tuple[dt.date, ByGender]]:
    """Registered delegates checked in on each day of the meeting, by gender."""
    groups = (
        Attendance.objects.filter(registration__meeting=meeting, registration__status=CONFIRMED)
        .values("day", "registration__gender")
        .annotate(count=Count("pk"))
        .order_by()
    )
    days: dict[dt.date, dict[str, int]] = defaultdict(dict)
    for group in groups:
        days[group["day"]][group["registration__gender"]] = group["count"]
    first, last = meeting.start_date, meeting.end_date
    return [
        (first + dt.timedelta(days=offset), _by_gender(days[first + dt.timedelta(days=offset)]))
        for offset in range((last - first).days + 1)
    ]


# Trends across meetings and cycles


@dataclass(frozen=True)
class TrendPoint:
    """One meeting, or one cycle's meetings added up (a person at two meetings counts twice)."""

    key: int
    label: str
    slug: str  # the meeting's; empty for a cycle
    cycle: str
    start_date: dt.date
    registered: int
    registered_women: int
    attended: int
    attended_women: int
    heads: int
    women_heads: int
    turns: int
    women_turns: int

    @property
    def share_women_registered(self) -> float | None:
        return share(self.registered_women, self.registered)

    @property
    def share_women_attended(self) -> float | None:
        return share(self.attended_women, self.attended)

    @property
    def share_women_heads(self) -> float | None:
        return share(self.women_heads, self.heads)

    @property
    def share_women_turns(self) -> float | None:
        """Among the turns whose speaker was noted."""
        return share(self.women_turns, self.turns)


TREND_KEYS = {"meeting": "meeting_id", "cycle": "meeting__cycle_id"}


def trend(*, by: str = "meeting", meetings: QuerySet[Meeting] | None = None) -> list[TrendPoint]:
    """The trend per meeting or per cycle, oldest first, in four queries."""
    key = TREND_KEYS[by]
    registrations = counted()
    interventions = Intervention.objects.all()
    if meetings is not None:
        registrations = registrations.filter(meeting__in=meetings)
        interventions = interventions.filter(session__meeting__in=meetings)
    women = Q(gender=FEMALE)
    counts = {
        row[key]: row
        for row in registrations.values(key)
        .annotate(
            registered=Count("pk"),
            registered_women=Count("pk", filter=women),
            heads=Count("pk", filter=Q(role=HEAD)),
            women_heads=Count("pk", filter=Q(role=HEAD) & women),
        )
        .order_by()
    }
    came = {
        row[key]: row
        for row in attended(registrations)
        .values(key)
        .annotate(attended=Count("pk"), attended_women=Count("pk", filter=women))
        .order_by()
    }
    speaker_key = f"session__{key}"
    turns = {
        row[speaker_key]: row
        for row in interventions.values(speaker_key)
        .annotate(
            turns=Count("pk", filter=Q(speaker__isnull=False)),
            women_turns=Count("pk", filter=Q(speaker__gender=FEMALE)),
        )
        .order_by()
    }
    if by == "meeting":
        labels = {
            meeting.pk: (meeting.title, meeting.slug, meeting.cycle.code, meeting.start_date)
            for meeting in Meeting.objects.filter(pk__in=counts).select_related("cycle")
        }
    else:
        labels = {
            cycle.pk: (f"{cycle.treaty} {cycle.code}", "", cycle.code, cycle.first_meeting)
            for cycle in ConferenceCycle.objects.filter(pk__in=counts)
            .select_related("treaty")
            .annotate(first_meeting=Min("meetings__start_date"))
        }
    points = []
    for pk, row in counts.items():
        label, slug, cycle, start = labels[pk]
        spoken = turns.get(pk, {})
        present = came.get(pk, {})
        points.append(
            TrendPoint(
                key=pk,
                label=label,
                slug=slug,
                cycle=cycle,
                start_date=start,
                registered=row["registered"],
                registered_women=row["registered_women"],
                attended=present.get("attended", 0),
                attended_women=present.get("attended_women", 0),
                heads=row["heads"],
                women_heads=row["women_heads"],
                turns=spoken.get("turns", 0),
                women_turns=spoken.get("women_turns", 0),
            )
        )
    return sorted(points, key=lambda point: (point.start_date, point.key))

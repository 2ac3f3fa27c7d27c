"""Registering, changing, withdrawing and deciding registrations, each in one transaction.

The in-person capacity of a meeting is counted under a lock on its registration policy row,
so that delegates submitting at the same moment cannot take more places than there are.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, FilteredRelation, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from convocation.meetings.models import Meeting, Session
from convocation.meetings.queries import meeting_fingerprint_with
from convocation.people.records import record_person
from convocation.prepared import Prepared
from convocation.registrations import access, audit, emails, rules
from convocation.registrations.models import AuditEntry, Registration, RegistrationPolicy
from convocation.treaties.models import Organisation, State, TreatyAction
from convocation.treaties.status import ActionFact, StateStatus, status_on


class RegistrationError(Exception):
    """A registration cannot be made as asked; ``errors`` says why, field by field."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class AlreadyRegistered(Exception):
    def __init__(self, registration: Registration):
        super().__init__(f"Already registered: {registration.pk}")
        self.registration = registration


@dataclass
class RegistrationData:
    """What a delegate or a focal point submits: validated for form, not yet for the rules."""

    honorific: str
    given_name: str
    family_name: str
    email: str
    position: str
    role: str
    mode: str
    gender: str
    state: State | None = None
    organisation: Organisation | None = None
    gender_description: str = ""
    session_ids: list[int] = field(default_factory=list)
    consent: bool = False
    language: str = "en"
    credential: UploadedFile | None = None

    @property
    def delegation(self) -> State | Organisation | None:
        return self.state or self.organisation


def meeting_starts(meeting: Meeting) -> dt.datetime:
    """The first session's start, or midnight of the first day where it has none.

    A cancelled session does not count: registration stays open until the first that meets.
    """
    first = (
        meeting.sessions.filter(cancelled=False)
        .order_by("start")
        .values_list("start", flat=True)
        .first()
    )
    if first is not None:
        return first
    return dt.datetime.combine(meeting.start_date, dt.time(0), tzinfo=meeting.tz)


# The queries every registration submit makes, compiled once (convocation.prepared).
_POLICY = Prepared(lambda meeting: RegistrationPolicy.objects.filter(meeting_id=meeting)[:1], int)
_LOCKED_POLICY = Prepared(
    lambda meeting: RegistrationPolicy.objects.select_for_update().filter(meeting_id=meeting)[:1],
    int,
)
_TREATY_ACTIONS = Prepared(
    lambda treaty, state: (
        TreatyAction.objects.filter(treaty_id=treaty, state_id=state)
        .order_by()
        .values_list("kind", "date")
    ),
    int,
    str,
)
_STATE_WITH_ACTIONS = Prepared(
    lambda code, treaty: (
        State.objects.filter(code=code)
        .annotate(
            action=FilteredRelation("treaty_actions", condition=Q(treaty_actions__treaty_id=treaty))
        )
        .order_by()
        .values_list("code", "alpha_2", "name", "action__kind", "action__date")
    ),
    str,
    int,
)
_CONFIRMED_IN_PERSON = Prepared(
    lambda meeting, other_than: (
        Registration.objects.filter(
            meeting_id=meeting,
            status=Registration.Status.CONFIRMED,
            mode=Registration.Mode.IN_PERSON,
        )
        .exclude(pk=other_than)
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values_list("n")
    ),
    int,
    int,
)


def policy_of(meeting: Meeting) -> RegistrationPolicy:
    """The meeting's registration policy, made with the defaults the first time it is asked."""
    policy = _POLICY.first(meeting.pk)
    if policy is None:
        policy, _created = RegistrationPolicy.objects.get_or_create(meeting=meeting)
    return policy


@dataclass(frozen=True)
class MeetingToRegister:
    """What the registration page needs of a meeting on every request."""

    meeting: Meeting
    policy: RegistrationPolicy
    starts: dt.datetime
    sessions: list[rules.SessionAccess]


def meeting_to_register(slug: str) -> MeetingToRegister:
    """The meeting with its treaty, policy, start and the sessions one may register for.

    The form is posted by many delegates at once when registration opens, so what depends
    only on the meeting's schedule is kept in the cache under the meeting's fingerprint
    (docs/decisions/0002-cache-by-fingerprint.md): one query checks it is still current.
    The policy is read each time, by the same query: the Secretariat may have just closed
    registration. Raises Meeting.DoesNotExist.
    """
    current = meeting_fingerprint_with(slug, RegistrationPolicy)
    if current is None:
        raise Meeting.DoesNotExist(slug)
    fingerprint, policy = current
    key = f"registration-facts:{slug}:{fingerprint}"
    schedule = cache.get(key)
    if schedule is None:
        meeting = Meeting.objects.select_related("cycle__treaty").get(slug=slug)
        schedule = (meeting, meeting_starts(meeting), session_facts(meeting))
        cache.set(key, schedule)
    meeting, starts, sessions = schedule
    return MeetingToRegister(meeting, policy or policy_of(meeting), starts, sessions)


def _locked_policy(meeting: Meeting) -> RegistrationPolicy:
    """The policy row, locked until the transaction ends: the queue for in-person places."""
    policy = _LOCKED_POLICY.first(meeting.pk)
    if policy is None:
        policy_of(meeting)
        policy = _LOCKED_POLICY.first(meeting.pk)
    return policy


def _status_under(treaty, facts: list[ActionFact], day: dt.date) -> StateStatus:
    """A State's status on a day under the treaty's entry-into-force rules."""
    return status_on(
        facts,
        day,
        entry_into_force=treaty.entry_into_force,
        delay_days=treaty.entry_into_force_delay_days,
    )


def state_status_by_day(
    meeting: Meeting,
    state: State,
    days: set[dt.date],
    actions: list[ActionFact] | None = None,
) -> dict:
    """The State's status on each day; ``actions`` are its treaty actions, if already read."""
    treaty = meeting.cycle.treaty
    if actions is None:
        actions = [
            ActionFact(kind, date) for kind, date in _TREATY_ACTIONS.rows(treaty.pk, state.pk)
        ]
    return {day: _status_under(treaty, actions, day) for day in days}


def state_with_actions(meeting: Meeting, code: str) -> tuple[State, list[ActionFact]] | None:
    """A State and its actions under the meeting's treaty, from one query; None if unknown.

    The registration form names its delegation on every submit, and the rules need the
    State's actions at once: one round trip to the database instead of two.
    """
    rows = _STATE_WITH_ACTIONS.rows(code, meeting.cycle.treaty_id)
    if not rows:
        return None
    code, alpha_2, name = rows[0][:3]
    state = State.from_db(None, ["code", "alpha_2", "name"], [code, alpha_2, name])
    return state, [ActionFact(kind, date) for *_state, kind, date in rows if kind is not None]


def statuses_on(meeting: Meeting, state_codes: set[str], day: dt.date) -> dict[str, StateStatus]:
    """The status of each of these States on one day, from one query for all of them."""
    treaty = meeting.cycle.treaty
    facts: dict[str, list[ActionFact]] = {code: [] for code in state_codes}
    actions = TreatyAction.objects.filter(treaty=treaty, state_id__in=state_codes).order_by()
    for code, kind, date in actions.values_list("state_id", "kind", "date"):
        facts[code].append(ActionFact(kind, date))
    return {code: _status_under(treaty, known, day) for code, known in facts.items()}


@dataclass(frozen=True)
class DelegationFacts:
    """What the rules need to know of one delegation at one meeting, read once per request."""

    category: str
    allowed: list[rules.SessionAccess]
    refused: list[rules.SessionAccess]


def delegation_facts(
    meeting: Meeting,
    delegation: State | Organisation,
    sessions: list[rules.SessionAccess] | None = None,
    actions: list[ActionFact] | None = None,
) -> DelegationFacts:
    """The category and the sessions open to a delegation, from two queries at most.

    ``sessions`` are the meeting's session facts, and ``actions`` a State's treaty actions,
    where the caller has them already.
    """
    facts = session_facts(meeting) if sessions is None else sessions
    if isinstance(delegation, State):
        days = {fact.day for fact in facts} | {meeting.start_date}
        statuses = state_status_by_day(meeting, delegation, days, actions)
        category = rules.category_of_state(statuses[meeting.start_date])
    else:
        statuses = {}
        category = rules.category_of_organisation(delegation.category)
    allowed, refused = [], []
    for fact in facts:
        (allowed if rules.may_attend(fact.access, statuses.get(fact.day)) else refused).append(fact)
    return DelegationFacts(category=category, allowed=allowed, refused=refused)


def category_for(meeting: Meeting, delegation: State | Organisation) -> str:
    """A State's category is its status on the meeting's first day."""
    if isinstance(delegation, State):
        status = state_status_by_day(meeting, delegation, {meeting.start_date})
        return rules.category_of_state(status[meeting.start_date])
    return rules.category_of_organisation(delegation.category)


def session_facts(meeting: Meeting) -> list[rules.SessionAccess]:
    """The sessions one may register for: a cancelled session is no longer offered."""
    zone = meeting.tz
    return [
        rules.SessionAccess(
            session_id=session.pk,
            label=session.body.label,
            access=session.effective_access,
            day=session.start.astimezone(zone).date(),
            times=f"{session.start.astimezone(zone):%H:%M}–{session.end.astimezone(zone):%H:%M}",
        )
        for session in meeting.sessions.filter(cancelled=False)
        .select_related("body__parent")
        .order_by("start", "id")
    ]


def sessions_open_to(
    meeting: Meeting, delegation: State | Organisation | None
) -> tuple[list[rules.SessionAccess], list[rules.SessionAccess]]:
    """The sessions a delegation may attend, and those it may not, by the status on each day."""
    facts = session_facts(meeting)
    if isinstance(delegation, State):
        statuses = state_status_by_day(meeting, delegation, {fact.day for fact in facts})
    else:
        statuses = {}
    allowed, refused = [], []
    for fact in facts:
        status: StateStatus | None = statuses.get(fact.day)
        (allowed if rules.may_attend(fact.access, status) else refused).append(fact)
    return allowed, refused


def _check_sessions(
    meeting: Meeting,
    delegation: State | Organisation,
    session_ids: list[int],
    facts: DelegationFacts | None = None,
) -> list[int]:
    if facts is None:
        allowed, refused = sessions_open_to(meeting, delegation)
    else:
        allowed, refused = facts.allowed, facts.refused
    by_id = {fact.session_id: fact for fact in allowed + refused}
    unknown = [pk for pk in session_ids if pk not in by_id]
    if unknown:
        raise RegistrationError({"sessions": _("A chosen session is not part of this meeting.")})
    refused_ids = {fact.session_id for fact in refused}
    reasons = [rules.refusal_reason(by_id[pk]) for pk in session_ids if pk in refused_ids]
    if reasons:
        raise RegistrationError({"sessions": " ".join(reasons)})
    if not session_ids and allowed and meeting.registration == Meeting.Registration.SOME_SESSIONS:
        # Registration is asked for some sessions only: a registration names which.
        raise RegistrationError({"sessions": _("Choose the sessions you will attend.")})
    return sorted(set(session_ids))


def _confirmed_in_person(meeting: Meeting, other_than: Registration | None = None) -> int:
    """The confirmed in-person places, leaving out ``other_than``'s own."""
    counted = _CONFIRMED_IN_PERSON.first(meeting.pk, other_than.pk if other_than else 0)
    return counted[0] if counted else 0


def _check_open(
    meeting: Meeting, policy: RegistrationPolicy, now: dt.datetime, starts: dt.datetime
) -> None:
    if meeting.registration == Meeting.Registration.NONE:
        raise RegistrationError({"__all__": _("This meeting does not take registrations.")})
    if meeting.status != Meeting.Status.PLANNED:
        raise RegistrationError({"__all__": _("This meeting is not open for registration.")})
    if not rules.is_open_for_registration(now, starts, policy.closes_at):
        raise RegistrationError({"__all__": _("Registration for this meeting has closed.")})


def _check_data(data: RegistrationData, policy: RegistrationPolicy, is_new: bool) -> None:
    errors = {}
    if data.delegation is None or (data.state and data.organisation):
        errors["delegation"] = _("Choose one delegation: a State or an organisation.")
    if not data.consent:
        errors["consent"] = _("Registration needs your consent to the use of these data.")
    if (
        is_new
        and policy.credential == RegistrationPolicy.Credential.REQUIRED
        and data.credential is None
    ):
        errors["credential"] = _(
            "Attach the note verbale of the Permanent Mission, or the organisation's "
            "nomination letter."
        )
    if errors:
        raise RegistrationError(errors)


def register(
    meeting: Meeting,
    data: RegistrationData,
    *,
    by: AbstractBaseUser | None,
    policy: RegistrationPolicy | None = None,
    facts: DelegationFacts | None = None,
    starts: dt.datetime | None = None,
    at_the_door: bool = False,
) -> Registration:
    """Register one delegate; raises RegistrationError, or AlreadyRegistered for a repeat.

    ``at_the_door`` is a walk-in registered by the Secretariat's officer at the check-in
    desk: registration has closed for delegates (the meeting has started), the officer sees
    the credential on paper and approves by registering, so the delegate is confirmed at
    once, if an in-person place is left. Every other rule applies as for anyone.

    What the caller has already read in this request is passed rather than read again: the
    meeting's ``policy``, the delegation's ``facts`` (the page offered its sessions) and
    when the meeting ``starts``.

    The registration is written first and the policy row locked last, just before the
    commit: registrations submitted at the same moment wait for each other only for the
    count of places, not for each other's writes. Under the lock the rules are checked
    again on the locked policy (a change the Secretariat made a moment ago counts), the
    places are counted, and a registration that finds no place left goes to the waiting
    list, its place in it the moment it was counted.
    """
    now = timezone.now()
    if starts is None and not at_the_door:
        starts = meeting_starts(meeting)
    if facts is None:
        facts = delegation_facts(meeting, data.delegation)
    session_ids = _check_sessions(meeting, data.delegation, data.session_ids, facts)
    policy = policy or policy_of(meeting)
    # Checked before anything is written, so that a refusal leaves no stored credential.
    _check_rules(meeting, data, policy, now=now, starts=starts, at_the_door=at_the_door)
    with transaction.atomic():
        person, new_person = record_person(
            data.email,
            honorific=data.honorific,
            given_name=data.given_name,
            family_name=data.family_name,
            state=data.state,
            organisation=data.organisation,
            gender=data.gender,
        )
        # A person created in this transaction cannot have registered before.
        existing = (
            None
            if new_person
            else Registration.objects.filter(meeting=meeting, person=person).first()
        )
        if existing is not None and existing.is_active:
            raise AlreadyRegistered(existing)
        needing_approval = [] if at_the_door else policy.categories_needing_approval
        registration = existing or Registration(meeting=meeting, person=person)
        if existing is not None:
            # Registering again after a withdrawal joins the queue now, not where it once was.
            registration.created_at = now
        registration.state = data.state
        registration.organisation = data.organisation
        registration.category = facts.category
        registration.position = data.position
        registration.role = data.role
        registration.mode = data.mode
        registration.gender = data.gender
        registration.gender_description = data.gender_description
        # What the status will be if a place is left; settled under the lock below.
        registration.status = rules.first_status(
            category=facts.category,
            mode=data.mode,
            categories_needing_approval=needing_approval,
            in_person_capacity=None,
            confirmed_in_person=0,
        )
        registration.consent_given_at = now
        registration.language = data.language
        registration.registered_by = by
        registration.confirmation_sent_at = None
        if data.credential is not None:
            registration.credential_name = data.credential.name[:200]
            registration.credential.save(data.credential.name, data.credential, save=False)
        try:
            registration.save()
            if existing is not None:
                registration.sessions.set(session_ids)
            elif session_ids:
                registration.sessions.add(*session_ids)
            # The email goes with the status the registration has when it is sent.
            emails.after_commit(registration, "registered")
            _take_place(meeting, registration, data, now, starts, at_the_door=at_the_door)
            if _by_staff(by):
                audit.record(
                    by,
                    AuditEntry.Action.REGISTERED,
                    registration,
                    status=registration.status,
                    at_the_door=at_the_door,
                )
        except Exception:
            if data.credential is not None:
                registration.credential.delete(save=False)
            raise
    return registration


def _check_rules(
    meeting: Meeting,
    data: RegistrationData,
    policy: RegistrationPolicy,
    *,
    now: dt.datetime,
    starts: dt.datetime | None,
    at_the_door: bool,
) -> None:
    """The rules of the policy that do not depend on the places left.

    At the door, registration has closed and the officer has seen the credential.
    """
    if not at_the_door:
        _check_open(meeting, policy, now, starts)
    _check_data(data, policy, is_new=not at_the_door)


def _take_place(
    meeting: Meeting,
    registration: Registration,
    data: RegistrationData,
    now: dt.datetime,
    starts: dt.datetime | None,
    *,
    at_the_door: bool,
) -> None:
    """Under the lock of the policy row, until the commit: the rules again, then the places.

    The count leaves out this registration's own row, already written as if confirmed;
    the rows of registrations not yet committed are not seen, and each of them counts
    after this one commits, since it waits for the lock.
    """
    policy = _locked_policy(meeting)
    _check_rules(meeting, data, policy, now=now, starts=starts, at_the_door=at_the_door)
    status = rules.first_status(
        category=registration.category,
        mode=registration.mode,
        categories_needing_approval=[] if at_the_door else policy.categories_needing_approval,
        in_person_capacity=policy.in_person_capacity,
        confirmed_in_person=(
            0
            if policy.in_person_capacity is None or registration.mode != Registration.Mode.IN_PERSON
            else _confirmed_in_person(meeting, other_than=registration)
        ),
    )
    if at_the_door and status != Registration.Status.CONFIRMED:
        raise RegistrationError({"mode": _("No in-person place is left at this meeting.")})
    if status != registration.status:
        registration.status = status
        registration.created_at = timezone.now()
        registration.save(update_fields=["status", "created_at"])


def change(
    registration: Registration, data: RegistrationData, *, by: AbstractBaseUser | None
) -> Registration:
    """The delegate's own changes, until the meeting starts; the delegation stays as it is."""
    meeting = registration.meeting
    now = timezone.now()
    with transaction.atomic():
        policy = _locked_policy(meeting)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if not registration.is_active:
            raise RegistrationError({"__all__": _("This registration was withdrawn.")})
        if not rules.is_open_for_changes(now, meeting_starts(meeting)):
            raise RegistrationError(
                {"__all__": _("The meeting has started: registrations can no longer change.")}
            )
        data.state, data.organisation = registration.state, registration.organisation
        _check_data(data, policy, is_new=False)
        session_ids = _check_sessions(meeting, registration.delegation, data.session_ids)
        moves_in = (
            data.mode == Registration.Mode.IN_PERSON
            and registration.mode != Registration.Mode.IN_PERSON
            and registration.status == Registration.Status.CONFIRMED
        )
        if moves_in:
            placed = rules.place(
                mode=data.mode,
                in_person_capacity=policy.in_person_capacity,
                confirmed_in_person=_confirmed_in_person(meeting),
            )
            if placed != Registration.Status.CONFIRMED:
                raise RegistrationError(
                    {"mode": _("No in-person place is left; you stay registered online.")}
                )
        leaves_waiting_list = (
            registration.status == Registration.Status.WAITLISTED
            and data.mode != Registration.Mode.IN_PERSON
        )
        frees_place = (
            registration.mode == Registration.Mode.IN_PERSON
            and data.mode != Registration.Mode.IN_PERSON
            and registration.status == Registration.Status.CONFIRMED
        )
        before = _audited(registration) if _by_staff(by) else {}
        person = registration.person
        person.honorific, person.given_name, person.family_name = (
            data.honorific,
            data.given_name,
            data.family_name,
        )
        if data.gender:  # not asked where the meeting collects no gender data
            person.gender = data.gender
        person.save()
        registration.position = data.position
        registration.role = data.role
        registration.mode = data.mode
        registration.gender = data.gender
        registration.gender_description = data.gender_description
        registration.language = data.language
        if leaves_waiting_list:
            # Online participation has no limit: whoever waited for a seat and now follows
            # online is confirmed at once.
            registration.status = Registration.Status.CONFIRMED
        if data.credential is not None:
            registration.credential_name = data.credential.name[:200]
            registration.credential.save(data.credential.name, data.credential, save=False)
        registration.save()
        registration.sessions.set(session_ids)
        if frees_place:
            _promote_from_waiting_list(meeting, policy)
        emails.after_commit(registration, "changed")
        if _by_staff(by):
            _record_changes(by, registration, before, _audited(registration, session_ids))
    return registration


def _by_staff(user: AbstractBaseUser | None) -> bool:
    """Secretariat staff acting on a delegate's registration: the audit trail records it."""
    return user is not None and access.is_secretariat(user)


def _audited(registration: Registration, session_ids: list[int] | None = None) -> dict:
    """What a change of a registration may touch, as the audit trail shows it.

    Sessions by their names, as an officer reads them in the history, not by their ids.
    """
    person = registration.person
    sessions = (
        registration.sessions.all()
        if session_ids is None
        else Session.objects.filter(pk__in=session_ids)
    )
    return {
        "honorific": person.honorific,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "position": registration.position,
        "role": registration.role,
        "mode": registration.mode,
        "gender": registration.gender,
        "gender_description": registration.gender_description,
        "sessions": [
            str(session)
            for session in sessions.select_related("body__parent", "meeting").order_by("start")
        ],
        "credential": registration.credential_name,
        "language": registration.language,
        "status": registration.status,
    }


def _record_changes(
    by: AbstractBaseUser, registration: Registration, before: dict, after: dict
) -> None:
    """A staff member's change, field by field, in the order of the form."""
    fields = [[name, before[name], after[name]] for name in before if before[name] != after[name]]
    audit.record(by, AuditEntry.Action.CHANGED, registration, fields=fields)


def withdraw(registration: Registration, *, by: AbstractBaseUser | None) -> Registration:
    meeting = registration.meeting
    with transaction.atomic():
        policy = _locked_policy(meeting)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if not rules.is_open_for_changes(timezone.now(), meeting_starts(meeting)):
            raise RegistrationError(
                {"__all__": _("The meeting has started: registrations can no longer change.")}
            )
        if registration.status == Registration.Status.WITHDRAWN:
            return registration
        held_place = (
            registration.status == Registration.Status.CONFIRMED
            and registration.mode == Registration.Mode.IN_PERSON
        )
        was = registration.status
        registration.status = Registration.Status.WITHDRAWN
        registration.save(update_fields=["status", "updated_at"])
        if held_place:
            _promote_from_waiting_list(meeting, policy)
        emails.after_commit(registration, "withdrawn")
        if _by_staff(by):
            audit.record(
                by,
                AuditEntry.Action.CHANGED,
                registration,
                fields=[["status", was, registration.status]],
            )
    return registration


def _promote_from_waiting_list(meeting: Meeting, policy: RegistrationPolicy) -> None:
    """Give freed in-person places to the waiting list, first come first served."""
    free = (
        None
        if policy.in_person_capacity is None
        else policy.in_person_capacity - _confirmed_in_person(meeting)
    )
    waiting = Registration.objects.filter(
        meeting=meeting, status=Registration.Status.WAITLISTED, mode=Registration.Mode.IN_PERSON
    ).order_by("created_at", "id")
    for registration in waiting:
        if free is not None and free <= 0:
            break
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        emails.after_commit(registration, "confirmed")
        if free is not None:
            free -= 1


def capacity_changed(meeting: Meeting) -> None:
    """After the Secretariat raises (or removes) the capacity, the waiting list moves up."""
    with transaction.atomic():
        _promote_from_waiting_list(meeting, _locked_policy(meeting))


def approve(registration: Registration, *, by: AbstractBaseUser) -> Registration:
    """The Secretariat approves: the registration takes a place, or waits for one."""
    meeting = registration.meeting
    with transaction.atomic():
        policy = _locked_policy(meeting)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != Registration.Status.PENDING:
            return registration
        registration.status = rules.place(
            mode=registration.mode,
            in_person_capacity=policy.in_person_capacity,
            confirmed_in_person=_confirmed_in_person(meeting),
        )
        registration.save(update_fields=["status", "updated_at"])
        emails.after_commit(registration, registration.status)
    return registration


def refuse(registration: Registration, *, by: AbstractBaseUser, note: str = "") -> Registration:
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != Registration.Status.PENDING:
            return registration
        registration.status = Registration.Status.REFUSED
        if note:
            registration.secretariat_note = note
        registration.save(update_fields=["status", "secretariat_note", "updated_at"])
        emails.after_commit(registration, "refused")
    return registration


def sessions_of(registration: Registration) -> list[Session]:
    return list(registration.sessions.select_related("body").order_by("start"))

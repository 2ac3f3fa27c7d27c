"""A delegate's and a focal point's pages: register, see, change and withdraw registrations.

Who may do what is decided here on the server, from the signed-in account: a registration
that is not the user's own, nor of a delegation they are focal point for, does not exist for
them (404).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from convocation.meetings.models import Meeting
from convocation.registrations import access, audit, change_notices, rules, services
from convocation.registrations.forms import (
    DelegationChoiceForm,
    RegistrationForm,
    delegation_choices,
    delegation_value,
    delegation_with_actions,
)
from convocation.registrations.models import AuditEntry, Registration
from convocation.treaties.models import Organisation, State


def _choosable_delegations(request: HttpRequest, for_other: bool) -> list:
    """A focal point registering others chooses among their delegations; anyone else, all."""
    if for_other and not access.is_secretariat(request.user):
        return access.delegations_of_focal_point(access.person_of(request.user))
    return [*State.objects.order_by("name"), *Organisation.objects.order_by("category", "name")]


def _delegation_chosen(
    request: HttpRequest, meeting: Meeting, value: str, for_other: bool
) -> tuple[State | Organisation | None, list | None]:
    """The posted delegation, if it exists and this user may register for it, and a State's
    treaty actions.

    Looked up alone rather than by building the whole list of States and organisations: a
    submitted form names one.
    """
    delegation, actions = delegation_with_actions(value, meeting)
    if delegation is None or not for_other or access.is_secretariat(request.user):
        return delegation, actions
    if delegation in access.delegations_of_focal_point(access.person_of(request.user)):
        return delegation, actions
    return None, None


def _initial(person, fixed_email: str | None) -> dict:
    if person is None:
        return {"email": fixed_email or ""}
    return {
        "honorific": person.honorific,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "email": person.email,
        "gender": person.gender or None,
    }


@login_required
def register(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        context = services.meeting_to_register(slug)
    except Meeting.DoesNotExist:
        raise Http404("No such meeting.") from None
    meeting, policy, starts = context.meeting, context.policy, context.starts
    for_other = request.GET.get("for") == "other"
    if for_other and not (
        access.is_secretariat(request.user)
        or access.delegations_of_focal_point(access.person_of(request.user))
    ):
        return render(
            request, "registrations/not_focal_point.html", {"meeting": meeting}, status=403
        )
    open_now = (
        meeting.registration != Meeting.Registration.NONE
        and meeting.status == Meeting.Status.PLANNED
        and rules.is_open_for_registration(timezone.now(), starts, policy.closes_at)
    )
    if not open_now:
        return render(request, "registrations/closed.html", {"meeting": meeting}, status=409)

    posted = request.method == "POST"
    # A posted form is checked against an earlier registration by the service, under the
    # lock; the page a delegate opens says so at once.
    me = None if posted and not for_other else access.person_of(request.user)
    if not posted and not for_other and me is not None:
        mine = Registration.objects.filter(meeting=meeting, person=me).first()
        if mine is not None and mine.is_active:
            messages.info(request, _("You are already registered for this meeting."))
            return redirect("registrations:detail", pk=mine.pk)

    source = request.POST if posted else request.GET
    value = source.get("delegation", "")
    asked = posted or "delegation" in source
    delegation, actions = (
        _delegation_chosen(request, meeting, value, for_other) if value else (None, None)
    )
    if delegation is None:
        choosable = _choosable_delegations(request, for_other)
        chooser = DelegationChoiceForm(
            source if asked else None,
            choices=delegation_choices(
                [d for d in choosable if isinstance(d, State)],
                [d for d in choosable if isinstance(d, Organisation)],
            ),
            initial={"delegation": delegation_value(me and (me.state or me.organisation))},
        )
        if chooser.is_bound and chooser.is_valid():
            chooser.add_error("delegation", _("Choose a delegation from the list."))
        return render(
            request,
            "registrations/choose_delegation.html",
            {"meeting": meeting, "chooser": chooser, "for_other": for_other},
            status=400 if asked else 200,
        )
    facts = services.delegation_facts(meeting, delegation, context.sessions, actions)
    allowed, refused = facts.allowed, facts.refused
    fixed_email = None if for_other else request.user.email
    form_kwargs = {
        "meeting": meeting,
        "policy": policy,
        "delegation": delegation,
        "sessions": allowed,
        "refused_sessions": refused,
        "fixed_email": fixed_email,
    }
    if request.method != "POST":
        form = RegistrationForm(
            initial=_initial(None if for_other else me, fixed_email), **form_kwargs
        )
        return _render_form(request, meeting, form, delegation, refused, for_other)

    form = RegistrationForm(request.POST, request.FILES, **form_kwargs)
    if form.is_valid():
        data = form.data_for_services(get_language())
        if not access.may_register_for(request.user, data.email, delegation):
            form.add_error(
                "email", _("You may register only yourself or members of your delegation.")
            )
        else:
            try:
                registration = services.register(
                    meeting,
                    data,
                    by=request.user,
                    policy=policy,
                    facts=facts,
                    starts=starts,
                )
            except services.AlreadyRegistered as repeat:
                if for_other:
                    messages.info(request, _("This person is already registered for this meeting."))
                else:
                    messages.info(request, _("You are already registered for this meeting."))
                return redirect(_after_registering(request, repeat.registration, for_other))
            except services.RegistrationError as refusal:
                _add_errors(form, refusal)
            else:
                messages.success(request, _status_message(registration))
                return redirect(_after_registering(request, registration, for_other))
    return _render_form(request, meeting, form, delegation, refused, for_other, status=400)


def _after_registering(request: HttpRequest, registration: Registration, for_other: bool) -> str:
    # Registering oneself (the email is the account's): the registration is one's own.
    if not for_other or access.may_see_personal_data(request.user, registration):
        return reverse("registrations:detail", args=[registration.pk])
    return reverse("registrations:mine")


def _add_errors(form, refusal: "services.RegistrationError") -> None:
    for name, message in refusal.errors.items():
        form.add_error(name if name in form.fields else None, message)


def _render_form(request, meeting, form, delegation, refused, for_other, status=200):
    return render(
        request,
        "registrations/register.html",
        {
            "meeting": meeting,
            "form": form,
            "delegation": delegation,
            "delegation_value": delegation_value(delegation),
            "refused_sessions": refused,
            "for_other": for_other,
        },
        status=status,
    )


def _status_message(registration: Registration) -> str:
    if registration.status == Registration.Status.CONFIRMED:
        return _("The registration is confirmed. A confirmation has been sent by email.")
    if registration.status == Registration.Status.PENDING:
        return _("The registration is received and awaits the Secretariat's approval.")
    return _(
        "All in-person places are taken: the registration is on the waiting list, and "
        "you will be told by email when a place frees up."
    )


@login_required
def my_registrations(request: HttpRequest) -> HttpResponse:
    me = access.person_of(request.user)
    own = (
        Registration.objects.filter(person=me)
        .select_related("meeting", "state", "organisation")
        .order_by("-meeting__start_date")
        if me is not None
        else Registration.objects.none()
    )
    delegations = access.delegations_of_focal_point(me)
    delegation_registrations = (
        Registration.objects.filter(access.delegation_filter(delegations))
        .select_related("meeting", "person", "state", "organisation")
        .order_by("-meeting__start_date", "person__family_name")
        if delegations
        else Registration.objects.none()
    )
    return render(
        request,
        "registrations/my_registrations.html",
        {
            "own": own,
            "delegations": delegations,
            "delegation_registrations": delegation_registrations,
            "open_meetings": Meeting.objects.filter(status=Meeting.Status.PLANNED)
            .exclude(registration=Meeting.Registration.NONE)
            .filter(end_date__gte=timezone.localdate())
            .order_by("start_date"),
        },
    )


def _visible_registration(request: HttpRequest, pk: int) -> Registration:
    registration = get_object_or_404(
        Registration.objects.select_related(
            "meeting__cycle__treaty", "person", "state", "organisation"
        ),
        pk=pk,
    )
    if not access.may_see_personal_data(request.user, registration):
        raise Http404("No such registration.")
    if request.method != "POST":
        _record_staff_view(request, registration)
    return registration


def _record_staff_view(request: HttpRequest, registration: Registration) -> None:
    """Staff reading a delegate's page is a staff view like any other: it is recorded.

    A staff change is recorded by the service, with what changed, once it is made.
    """
    if access.is_secretariat(request.user) and not access.is_own(request.user, registration):
        audit.record(request.user, AuditEntry.Action.VIEWED, registration, page=request.path)


@login_required
def registration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _visible_registration(request, pk)
    meeting = registration.meeting
    policy = services.policy_of(meeting)
    allowed, refused = services.sessions_open_to(meeting, registration.delegation)
    changeable = registration.is_active and rules.is_open_for_changes(
        timezone.now(), services.meeting_starts(meeting)
    )
    form_kwargs = {
        "meeting": meeting,
        "policy": policy,
        "delegation": registration.delegation,
        "sessions": allowed,
        "refused_sessions": refused,
        "fixed_email": registration.person.email,
        "existing": registration,
    }
    status = 200
    if request.method == "POST":
        if not changeable:
            messages.error(request, _("This registration can no longer be changed."))
            return redirect("registrations:detail", pk=pk)
        form = RegistrationForm(request.POST, request.FILES, **form_kwargs)
        if form.is_valid():
            try:
                services.change(
                    registration, form.data_for_services(get_language()), by=request.user
                )
            except services.RegistrationError as refusal:
                _add_errors(form, refusal)
            else:
                messages.success(request, _("The registration is changed."))
                return redirect("registrations:detail", pk=pk)
        # The page comes back with the delegate's data: for staff, a view.
        _record_staff_view(request, registration)
        status = 400
    else:
        form = RegistrationForm(
            initial={
                "honorific": registration.person.honorific,
                "given_name": registration.person.given_name,
                "family_name": registration.person.family_name,
                "email": registration.person.email,
                "position": registration.position,
                "role": registration.role,
                "mode": registration.mode,
                "gender": registration.gender,
                "gender_description": registration.gender_description,
                "sessions": list(registration.sessions.values_list("pk", flat=True)),
            },
            **form_kwargs,
        )
    return render(
        request,
        "registrations/registration_detail.html",
        {
            "registration": registration,
            "meeting": meeting,
            "form": form,
            "changeable": changeable,
            "sessions": services.sessions_of(registration),
            "calendar_feed": change_notices.feed_path(registration),
            "refused_sessions": refused,
            "livestream_url": meeting.livestream_url
            if registration.status == Registration.Status.CONFIRMED
            and meeting.livestream != Meeting.Livestream.NONE
            else "",
        },
        status=status,
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _visible_registration(request, pk)
    try:
        services.withdraw(registration, by=request.user)
    except services.RegistrationError as refusal:
        messages.error(request, " ".join(refusal.errors.values()))
    else:
        messages.success(request, _("The registration is withdrawn."))
    return redirect("registrations:detail", pk=pk)


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The delegate's own sessions as iCalendar, for calendar apps, which cannot sign in.

    The address is the secret: the registration's id signed with the site's key.
    """
    registration = change_notices.registration_for_token(token)
    if registration is None:
        raise Http404("No such calendar.")
    response = HttpResponse(
        change_notices.personal_calendar(registration), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-cache"
    response["Content-Disposition"] = f'inline; filename="{registration.meeting.slug}.ics"'
    return response

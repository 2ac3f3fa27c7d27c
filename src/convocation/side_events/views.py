"""Proposing a side event, one's own proposals, and the published side events of a meeting.

Per user and never cached. Who sees a virtual side event's access link is decided here on
the server, by ``rules.link_to_show``: the organisers chose it when they proposed the event.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from convocation.meetings.models import Meeting, SideEvent
from convocation.registrations import access
from convocation.side_events import queries, rules, services
from convocation.side_events.forms import ProposalForm
from convocation.side_events.models import SideEventProposal


@login_required
def propose(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("cycle__treaty"), slug=slug)
    policy = services.policy_of(meeting)
    if policy is None:
        return render(
            request,
            "side_events/closed.html",
            {"meeting": meeting, "reason": _("This meeting takes no side-event proposals.")},
            status=404,
        )
    if not rules.proposals_open(timezone.now(), policy.proposals_close_at):
        return render(
            request,
            "side_events/closed.html",
            {"meeting": meeting, "reason": services.closed_message(meeting, policy)},
            status=409,
        )
    if request.method != "POST":
        initial = {"contact_email": request.user.email}
        person = access.person_of(request.user)
        if person is not None:
            initial["contact_name"] = f"{person.given_name} {person.family_name}"
        form = ProposalForm(meeting=meeting, policy=policy, initial=initial)
        return render(request, "side_events/propose.html", {"meeting": meeting, "form": form})
    form = ProposalForm(request.POST, meeting=meeting, policy=policy)
    if form.is_valid():
        try:
            services.submit_proposal(
                meeting=meeting, data=form.proposal_data(get_language()), by=request.user
            )
        except services.SideEventError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("Thank you: your proposal is with the Secretariat, who will write to %(email)s.")
                % {"email": form.cleaned_data["contact_email"]},
            )
            return redirect("side_events:mine")
    return render(
        request, "side_events/propose.html", {"meeting": meeting, "form": form}, status=400
    )


@login_required
def my_proposals(request: HttpRequest) -> HttpResponse:
    return render(
        request, "side_events/my_proposals.html", {"proposals": queries.proposals_of(request.user)}
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    # Another user's proposal does not exist for this one.
    proposal = get_object_or_404(SideEventProposal, pk=pk, submitted_by=request.user)
    if proposal.status in (SideEventProposal.Status.SUBMITTED, SideEventProposal.Status.ACCEPTED):
        services.withdraw_proposal(proposal=proposal)
        messages.success(request, _("Your proposal was withdrawn."))
    return redirect("side_events:mine")


@dataclass(frozen=True)
class ShownSideEvent:
    event: SideEvent
    link: str
    link_note: str
    contact: str


def _shown(event: SideEvent, *, registered: bool, secretariat: bool) -> ShownSideEvent:
    link = rules.link_to_show(
        event.link_shown, event.access_link, registered=registered, secretariat=secretariat
    )
    note, contact = "", ""
    if event.access_link and not link:
        if event.link_shown == SideEvent.LinkShown.REGISTERED:
            note = _("The access link is shown to delegates registered for the meeting.")
        else:
            note = _("The access link is given on request to the organisers.")
            proposal = getattr(event, "proposal", None)
            if proposal is not None:
                contact = f"{proposal.contact_name} <{proposal.contact_email}>"
    return ShownSideEvent(event, link, note, contact)


def side_events(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("cycle__treaty"), slug=slug)
    registered = queries.is_registered_for(request.user, meeting)
    secretariat = access.is_secretariat(request.user)
    events = [
        _shown(event, registered=registered, secretariat=secretariat)
        for event in queries.published_side_events(meeting)
    ]
    policy = services.policy_of(meeting)
    open_now = policy is not None and rules.proposals_open(
        timezone.now(), policy.proposals_close_at
    )
    return render(
        request,
        "side_events/side_events.html",
        {"meeting": meeting, "events": events, "policy": policy, "open_now": open_now},
    )

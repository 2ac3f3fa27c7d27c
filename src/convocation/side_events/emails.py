"""The email that tells a side event's contact what the Secretariat decided."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from convocation.registrations.emails import absolute_url, connection
from convocation.side_events.models import SideEventProposal


def decision_message(proposal: SideEventProposal) -> EmailMessage | None:
    """The email for the proposal's decision as it stands now; None when there is nothing to say."""
    Status = SideEventProposal.Status
    if proposal.status not in (Status.ACCEPTED, Status.DECLINED):
        return None
    language = proposal.language if proposal.language in dict(settings.LANGUAGES) else "en"
    with translation.override(language):
        if proposal.status == Status.ACCEPTED:
            subject = _("Side event accepted: %(title)s") % {"title": proposal.title}
        else:
            subject = _("Side event not accepted: %(title)s") % {"title": proposal.title}
        body = render_to_string(
            "side_events/email/decision.txt",
            {
                "proposal": proposal,
                "meeting": proposal.meeting,
                "accepted": proposal.status == Status.ACCEPTED,
                "mine_url": absolute_url(reverse("side_events:mine")),
            },
        )
    return EmailMessage(subject=subject, body=body, to=[proposal.contact_email])


def send_decision_email(proposal_id: int) -> bool:
    proposal = SideEventProposal.objects.select_related("meeting").filter(pk=proposal_id).first()
    if proposal is None:
        return False
    message = decision_message(proposal)
    if message is None:
        return False
    message.connection = connection()
    message.send()
    return True

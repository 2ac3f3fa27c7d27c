"""Background work of side events, through the Tasks API: ids in, the domain function called."""

from django_tasks import task

from convocation.side_events import emails


@task()
def send_decision_email(proposal_id: int) -> bool:
    return emails.send_decision_email(proposal_id)

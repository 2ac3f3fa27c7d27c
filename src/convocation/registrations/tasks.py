"""Background work of registration, through the Tasks API (``django-tasks``).

Tasks take ids and call the domain function. They are queued with the change that calls for
them, never for a rolled-back one (``emails.after_commit``, ``transaction.on_commit``).
"""

import dataclasses

from django_tasks import task

from convocation.registrations import emails, mailings


# Ahead of mailings in the queue: a delegate waits for their confirmation, a mailing can wait.
@task(priority=10)
def send_registration_email(registration_id: int, event: str) -> bool:
    return emails.send_registration_email(registration_id, event)


@task()
def send_mailing(mailing_id: int, after: int = 0) -> dict:
    return dataclasses.asdict(mailings.send_batch(mailing_id, after=after))

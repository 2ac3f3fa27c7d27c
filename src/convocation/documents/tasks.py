"""Background work of documents, through the Tasks API (``django-tasks``): thin, by id."""

from django_tasks import task

from convocation.documents import digest


@task()
def send_documents_digest(meeting_id: int) -> int:
    return digest.send_digest_of(meeting_id)

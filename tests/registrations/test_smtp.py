"""Emails through a real SMTP server on loopback, and a real worker stopped mid-mailing.

The confirmation goes to aiosmtpd running as its own OS process, which writes what it accepts
to a Maildir read back here. The worker test, whose worker is the other process, holds a
message at the server until the worker is killed: that server runs in a thread of the test.
"""

import asyncio
import email
import mailbox
import os
import smtplib
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone
from icalendar import Calendar

from convocation.meetings.calendar import session_uid
from convocation.registrations import qr, services
from convocation.treaties.models import State
from tests.registrations.conftest import delegate

REPOSITORY = Path(__file__).resolve().parents[2]
CONVOCATION = Path(sys.executable).with_name("convocation")


class Sink:
    """An SMTP server's mailbox. From ``hold_after`` messages on, the server stops answering
    the end of a message until released, and then refuses it: a worker killed meanwhile has
    not had the message accepted."""

    def __init__(self):
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []
        self.hold_after: int | None = None
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if self.hold_after is not None and len(self.received) >= self.hold_after:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
            return "451 4.3.0 Try again later"
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield sink, controller.port
    sink.release.set()
    controller.stop()


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def greets(server: subprocess.Popen, port: int, seconds: float = 30) -> bool:
    """Whether the server process answers SMTP on the port before it exits or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=2) as probe:
                if probe.noop()[0] == 250:
                    # A server that took the port first would leave ours unable to bind.
                    return server.poll() is None
        except OSError:
            time.sleep(0.05)
    return False


@pytest.fixture
def smtp_process(request, tmp_path):
    """aiosmtpd in its own OS process on 127.0.0.1, writing each message it accepts to a
    Maildir: the port, and the Maildir as that process wrote it."""
    maildir = tmp_path / "maildir"
    log = tmp_path / "smtpd.log"
    for _attempt in range(3):
        port = free_port()
        with log.open("ab") as output:
            server = subprocess.Popen(
                [
                    sys.executable,
                    *("-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}"),
                    *("-c", "aiosmtpd.handlers.Mailbox", str(maildir)),
                ],
                cwd=tmp_path,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        request.addfinalizer(lambda server=server: stop(server))
        if greets(server, port):
            return port, mailbox.Maildir(maildir, factory=None, create=False)
        # Another process took the port between the probe and the bind: try another one.
        stop(server)
    pytest.fail("The SMTP server did not start:\n" + log.read_text())


def received(maildir: mailbox.Maildir) -> list[email.message.EmailMessage]:
    return [
        email.message_from_bytes(maildir.get_bytes(key), policy=policy.default)
        for key in sorted(maildir.keys())
    ]


def test_the_confirmation_reaches_a_mail_server_with_its_qr_code_and_its_calendar(
    week, settings, smtp_process, django_capture_on_commit_callbacks
):
    port, maildir = smtp_process
    assert received(maildir) == []
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    week.policy.asks_sessions = True
    week.policy.save()
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(
            week.meeting,
            delegate(state=State.objects.get(code="ROU"), session_ids=[week.wgtu.pk]),
            by=None,
        )
    # The server answers the end of a message once the message is in its Maildir.
    [message] = received(maildir)
    # The envelope, as the server process recorded it: from this process, over loopback.
    assert message["X-RcptTo"] == "a.delegate@example.org"
    assert message["X-Peer"].startswith("('127.0.0.1', ")
    assert message["To"] == "a.delegate@example.org"
    assert message["Subject"] == "Registration confirmed: Next Working Group meetings"
    parts = {part.get_content_type(): part for part in message.walk()}
    image = parts["image/png"]
    assert image.get_payload(decode=True) == qr.check_in_png(registration)
    html = parts["text/html"].get_content()
    assert f'src="cid:{image["Content-ID"].strip("<>")}"' in html
    attachment = parts["text/calendar"]
    assert attachment.get_param("method") == "PUBLISH"
    calendar = Calendar.from_ical(attachment.get_payload(decode=True))
    assert [str(event["uid"]) for event in calendar.walk("VEVENT")] == [session_uid(week.wgtu)]
    registration.refresh_from_db()
    assert registration.confirmation_sent_at is not None


def make_mailing_for_the_worker(count: int) -> int:
    """Run in another process, on a database file: eight registrants and a queued mailing."""
    from django.contrib.auth import get_user_model

    from convocation.meetings.demo import load_demo
    from convocation.meetings.models import Meeting
    from convocation.people.models import Person
    from convocation.registrations import mailings
    from convocation.registrations.models import Mailing, Registration

    load_demo()
    meeting = Meeting.objects.order_by("start_date").last()
    for n in range(count):
        Registration.objects.create(
            meeting=meeting,
            person=Person.objects.create(
                given_name="Delegate", family_name=str(n), email=f"delegate{n}@example.org"
            ),
            state_id="ROU",
            category="state_party",
            position="Delegate",
            role="member",
            mode="in_person",
            gender="not_said",
            status="confirmed",
            consent_given_at=timezone.now(),
        )
    officer = get_user_model().objects.create_user("officer", is_staff=True)
    mailing = Mailing.objects.create(
        meeting=meeting, subject="Room change", body="The WGTU meets in Room 2.", created_by=officer
    )
    return mailings.queue_mailing(mailing)


def run(command: list, env: dict) -> str:
    done = subprocess.run(
        command, env=env, cwd=REPOSITORY, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_a_worker_killed_mid_mailing_then_resumed_sends_each_recipient_exactly_once(
    tmp_path, smtp_server
):
    sink, port = smtp_server
    database = tmp_path / "worker.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "convocation.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "CONVOCATION_DATA_DIR": str(tmp_path),
        "CONVOCATION_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "CONVOCATION_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "CONVOCATION_EMAIL_HOST": "127.0.0.1",
        "CONVOCATION_EMAIL_PORT": str(port),
    }
    setup = (
        "import django; django.setup(); "
        "from django.core.management import call_command; "
        "call_command('migrate', interactive=False, verbosity=0); "
        "from tests.registrations.test_smtp import make_mailing_for_the_worker; "
        "print(make_mailing_for_the_worker(8))"
    )
    assert run([sys.executable, "-c", setup], env).strip() == "8"

    # The fourth message is held at the server until the worker has been killed.
    sink.hold_after = 3
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [CONVOCATION, "db_worker", "--no-startup-delay", "--interval", "0.1", "-v", "2"],
        env=env,
        cwd=REPOSITORY,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        held = sink.holding.wait(timeout=60)
    finally:
        worker.kill()
        worker.wait(timeout=30)
        log.close()
    assert held, (tmp_path / "worker.log").read_text()
    sink.release.set()
    sink.hold_after = None
    assert len(sink.received) == 3

    with sqlite3.connect(database) as db:
        # The worker's open transaction died with it: the fourth delivery is pending again,
        # with no attempt counted, and the task stays "running" for nobody to take up.
        deliveries = Counter(
            db.execute("SELECT status, attempts FROM registrations_delivery").fetchall()
        )
        tasks = db.execute("SELECT status FROM django_tasks_database_dbtaskresult").fetchall()
    assert deliveries == {("sent", 1): 3, ("pending", 0): 5}
    assert tasks == [("RUNNING",)]

    assert run([CONVOCATION, "resume-mailings"], env) == "1 mailing(s) queued again.\n"
    run([CONVOCATION, "db_worker", "--batch", "--no-startup-delay", "-v", "0"], env)

    addresses = Counter(address for recipients, _message in sink.received for address in recipients)
    assert addresses == {f"delegate{n}@example.org": 1 for n in range(8)}
    with sqlite3.connect(database) as db:
        statuses = db.execute("SELECT DISTINCT status FROM registrations_delivery").fetchall()
    assert statuses == [("sent",)]

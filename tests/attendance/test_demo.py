from django.core.management import call_command

from convocation.attendance.models import Attendance, AttendancePolicy, Intervention
from convocation.registrations.demo import load_registration_demo
from convocation.reports.figures import meeting_figures


def test_load_demo_attendance_gives_the_csp12_report_figures(demo, capsys):
    load_registration_demo()

    call_command("load_demo_attendance")
    counts = (Attendance.objects.count(), Intervention.objects.count())
    call_command("load_demo_attendance")

    assert (Attendance.objects.count(), Intervention.objects.count()) == counts
    assert counts[1] == 8 * 6
    figures = meeting_figures(demo_meeting())
    assert 0 < figures.total.attended.total <= figures.total.registered.total == 60
    assert figures.speakers.all_turns == 48
    assert AttendancePolicy.objects.get(meeting__slug="att-csp12-wg").allows_walk_ins
    assert "Demo attendance loaded" in capsys.readouterr().out


def demo_meeting():
    from convocation.meetings.models import Meeting

    return Meeting.objects.get(slug="att-csp12-wg")

"""Public vacancies and offices; nominating (focal points of States Parties); the nominations.

Who may nominate and who sees the nominations is decided here on the server, on the day of
the request: a focal point of a State that is not a State Party that day is refused with
the reason, and the nominations of a vacancy exist only for the Secretariat and the
President of the cycle (404 for anyone else).
"""

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from convocation.cycles.models import ConferenceCycle
from convocation.nominations import queries, services
from convocation.nominations.forms import NominationForm
from convocation.nominations.models import Nomination, Vacancy


def _vacancy_or_404(pk: int) -> Vacancy:
    try:
        return queries.vacancy(pk)
    except Vacancy.DoesNotExist as error:
        raise Http404("No such vacancy.") from error


def vacancy_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "nominations/vacancy_list.html",
        {"vacancies": queries.open_vacancies(), "today": services.today()},
    )


@login_required
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = _vacancy_or_404(pk)
    on = services.today()
    eligible = services.eligibility_for(request.user, vacancy, on)
    if eligible.refusal is not None:
        return render(
            request,
            "nominations/refused.html",
            {
                "vacancy": vacancy,
                "reason": services.refusal_message(eligible.refusal, vacancy, on),
            },
            status=403,
        )
    states = [s for s in services.focal_point_states(request.user) if s.code in eligible.states]
    if request.method != "POST":
        form = NominationForm(states=states)
        return render(request, "nominations/nominate.html", {"vacancy": vacancy, "form": form})
    form = NominationForm(request.POST, request.FILES, states=states)
    if form.is_valid():
        try:
            services.submit_nomination(
                vacancy=vacancy,
                state=form.cleaned_data["state"],
                nominee=form.nominee(),
                cv=form.cleaned_data["cv"],
                by=request.user,
                on=on,
            )
        except services.NominationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("Thank you: the nomination of %(state)s for %(office)s is with the Secretariat.")
                % {"state": form.cleaned_data["state"].name, "office": vacancy.office.name},
            )
            return redirect("nominations:vacancies")
    return render(
        request, "nominations/nominate.html", {"vacancy": vacancy, "form": form}, status=400
    )


def _visible_vacancy(request: HttpRequest, pk: int) -> Vacancy:
    vacancy = _vacancy_or_404(pk)
    if not services.may_see_nominations(request.user, vacancy, services.today()):
        # The nominations of a vacancy do not exist for anyone else.
        raise Http404("No such vacancy.")
    return vacancy


@login_required
def nominations(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = _visible_vacancy(request, pk)
    return render(
        request,
        "nominations/nominations.html",
        {"vacancy": vacancy, "nominations": queries.nominations_of(vacancy)},
    )


@login_required
def cv(request: HttpRequest, pk: int, nomination: int) -> FileResponse:
    vacancy = _visible_vacancy(request, pk)
    found = get_object_or_404(Nomination, pk=nomination, vacancy=vacancy)
    name = found.cv_name or PurePath(found.cv.name).name
    return FileResponse(found.cv.open("rb"), as_attachment=True, filename=name)


def offices(request: HttpRequest, number: int) -> HttpResponse:
    cycles = list(
        ConferenceCycle.objects.filter(number=number).select_related("treaty").order_by("treaty")
    )
    if not cycles:
        raise Http404("No such cycle.")
    return render(
        request,
        "nominations/offices.html",
        {
            "number": number,
            "cycles": [(cycle, queries.offices_page(cycle)) for cycle in cycles],
            "today": services.today(),
        },
    )

"""The ATT demo with the CSP12 vacancies announced, and a focal point for Romania."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from convocation.nominations.demo import load_nomination_demo
from convocation.nominations.models import Vacancy
from convocation.people.models import Person
from convocation.registrations.models import FocalPoint


@pytest.fixture
def vacancies(demo) -> dict[str, Vacancy]:
    found = load_nomination_demo()
    return {vacancy.office.title: vacancy for vacancy in found}


@pytest.fixture
def chair(vacancies) -> Vacancy:
    return vacancies["chair"]


def focal_point(client, django_user_model, state: str, email: str):
    person = Person.objects.create(given_name="Focal", family_name=state, email=email)
    FocalPoint.objects.create(person=person, state_id=state)
    user = django_user_model.objects.create_user(email, email=email)
    client.force_login(user)
    return user


def pdf(name: str = "cv.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.7\n%\xe2\xe3\n1 0 obj<<>>endobj\n", "application/pdf")


def docx(name: str = "cv.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def nomination_form(**fields) -> dict:
    data = {
        "honorific": "Ms.",
        "given_name": "Ioana",
        "family_name": "Marin",
        "email": "ioana.marin@example.org",
        "expertise": "Ten years in export control licensing.",
        "cv": pdf(),
    }
    data.update(fields)
    return data


def today() -> dt.date:
    return timezone.localdate()

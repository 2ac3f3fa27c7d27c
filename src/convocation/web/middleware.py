"""Requests no form of the site can take are refused before a view sees them: too large,
or holding a NUL character."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext as _


class RequestSizeLimit:
    """413 for a body over ``MAX_REQUEST_BYTES``.

    Django limits the form fields of a request but streams uploaded files to disk whatever
    their size; the largest file a form takes is a 10 MB credential, so anything much larger
    is refused from its Content-Length, before a byte of it is stored.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse(_("The request's length is not a number."), status=400)
        if length > settings.MAX_REQUEST_BYTES:
            return HttpResponse(
                _("The request is too large: at most %(megabytes)s MB can be sent.")
                % {"megabytes": settings.MAX_REQUEST_BYTES // 2**20},
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class NullCharacters:
    """400 for an address, a query string or a form field that holds a NUL character.

    PostgreSQL cannot store or even compare text holding one: the query fails with a
    DataError, a 500. Django's form fields refuse it with a message next to the field, but
    some values are looked up before a form sees them (the delegation a registration
    names, the admin's search and filters, a code in the address). Uploaded files are not
    looked at.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            "\x00" in request.path
            or _holds_nul(request.GET)
            or (request.method == "POST" and _holds_nul(request.POST))
        ):
            return HttpResponse(
                _("The request holds a null character, which no field accepts."),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def _holds_nul(data: QueryDict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in data.lists()
    )

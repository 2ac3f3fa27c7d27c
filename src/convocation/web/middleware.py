"""Requests too large to be a form the site offers are refused before they are read."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
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

"""The language choice, offered on every page as plain links."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language


def choose_language(request: HttpRequest, language: str) -> HttpResponseRedirect:
    """Remember the chosen language in a cookie and go back to the page it was chosen on.

    A link rather than Django's POST form: public pages are cached and shared by everyone,
    so they cannot carry a per-visitor CSRF token.
    """
    if language not in dict(settings.LANGUAGES) or not check_for_language(language):
        raise Http404("No such language.")
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 60 * 60,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "convocation.registrations"
    verbose_name = _("Registrations")

    def ready(self) -> None:
        # Change notices answer meetings' ``revision_published`` signal: meetings may not
        # import registrations, so registrations connects itself, in every process (web,
        # worker, management command).
        from convocation.registrations import change_notices  # noqa: F401

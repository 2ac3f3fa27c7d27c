from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SideEventsConfig(AppConfig):
    name = "convocation.side_events"
    verbose_name = _("Side events")

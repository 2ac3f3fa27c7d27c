from django.apps import AppConfig


class WebConfig(AppConfig):
    """The shared look of the public pages: base template and stylesheet."""

    name = "convocation.web"
    verbose_name = "Web"

"""What every ModelAdmin with a web address shares."""

from django.db import models


class AssumeHttps:
    """A link typed without a scheme is read as https, as Django 6 will (no warning now)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

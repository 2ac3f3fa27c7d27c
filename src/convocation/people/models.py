"""The people who hold offices, sign letters and, later, register as delegates."""

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from convocation.treaties.models import Organisation, State


class PersonQuerySet(models.QuerySet):
    def with_email(self, email: str) -> "PersonQuerySet":
        """The person with this address, in any case: found through the unique index.

        Written as the index is (lower case, empty addresses left out), so that the database
        looks the address up rather than reading every person, as ``email__iexact`` would.
        """
        return self.alias(email_lower=Lower("email")).filter(
            ~models.Q(email=""), email_lower=email.strip().lower()
        )


class Person(models.Model):
    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        SELF_DESCRIBED = "self_described", _("Another gender (self-described)")
        NOT_SAID = "not_said", _("Prefer not to say")

    honorific = models.CharField(
        _("honorific"), max_length=50, blank=True, help_text=_("For example Ambassador, Ms., Mr.")
    )
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    state = models.ForeignKey(
        State, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("State")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("email"), blank=True)
    gender = models.CharField(
        _("gender"), max_length=20, choices=Gender.choices, blank=True, default=""
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["family_name", "given_name"]
        constraints = [
            # A delegate signs in by email: one address, one person.
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="one_person_per_email"
            )
        ]

    def __str__(self) -> str:
        return self.formal_name

    @property
    def is_woman(self) -> bool:
        """French and Spanish titles agree with the holder: Présidente, Presidenta."""
        return self.gender == self.Gender.FEMALE

    @property
    def formal_name(self) -> str:
        """As a signature block writes it: honorific, given name, family name in capitals."""
        return " ".join(
            part for part in (self.honorific, self.given_name, self.family_name.upper()) if part
        )

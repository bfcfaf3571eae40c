import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trygghem.core.models import BaseModel
from trygghem.staff.models import Staff, Team


class Person(BaseModel):
    """The person (brukare/patient) the municipality serves."""

    identity_number = models.CharField(
        _("personal identity number"), max_length=12, unique=True
    )  # YYYYMMDDNNNC, validated by trygghem.core.identity
    is_coordination_number = models.BooleanField(_("coordination number"), default=False)
    birth_date = models.DateField(_("birth date"))
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    street_address = models.CharField(_("street address"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=50, default="svenska")
    needs_interpreter = models.BooleanField(_("needs interpreter"), default=False)
    safety_alarm = models.BooleanField(_("safety alarm"), default=False)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    home_care_team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="home_care_people",
        verbose_name=_("home-care group"),
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def formatted_identity_number(self) -> str:
        return f"{self.identity_number[:8]}-{self.identity_number[8:]}"

    def age_on(self, day: datetime.date) -> int:
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - int(before_birthday)


class Relative(BaseModel):
    """A relative or next of kin (närstående) the person wants us to contact."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relatives")
    name = models.CharField(_("name"), max_length=200)
    relation = models.CharField(_("relation"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("relative")
        verbose_name_plural = _("relatives")

    def __str__(self) -> str:
        return self.name


class BirthDayRange(BaseModel):
    """Which case officer answers for people born on these days of the month (Hofors: 1-11,
    12-21, 22-31)."""

    first_day = models.PositiveSmallIntegerField(_("first day of month"))
    last_day = models.PositiveSmallIntegerField(_("last day of month"))
    case_officer = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case officer"),
    )
    phone = models.CharField(_("phone"), max_length=40)

    class Meta:
        ordering = ["first_day"]
        verbose_name = _("birth-day range")
        verbose_name_plural = _("birth-day ranges")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    first_day__gte=1, last_day__lte=31, first_day__lte=models.F("last_day")
                ),
                name="birthdayrange_days_in_month",
                violation_error_message=_("Days run from 1 to 31, first before last."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_day}-{self.last_day}"

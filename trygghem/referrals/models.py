from django.db import models
from django.utils.translation import gettext_lazy as _

from trygghem.core.models import BaseModel
from trygghem.people.models import Person
from trygghem.staff.models import Staff


class ExclusionCriterion(BaseModel):
    """A reason a person is not offered reablement (configurable; SKL guide)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("exclusion criterion")
        verbose_name_plural = _("exclusion criteria")

    def __str__(self) -> str:
        return self.name


class Referral(BaseModel):
    """How the need reached the municipality: a discharge notice, a short-term stay, home care
    reporting a deterioration, or the person applying."""

    class Source(models.TextChoices):
        HOSPITAL = "hospital", _("Hospital (admission/discharge notice)")
        SHORT_TERM = "short_term", _("Short-term stay")
        HOME_CARE = "home_care", _("Home care reports a deterioration")
        APPLICANT = "applicant", _("The person applies")

    class Triage(models.TextChoices):
        GREEN = "green", _("Green: no need of reablement")
        YELLOW = "yellow", _("Yellow: need, low complexity")
        RED = "red", _("Red: need, high complexity")

    class FeelsSafe(models.TextChoices):
        YES = "yes", _("Yes")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")
        NOT_ASKED = "not_asked", _("Not asked")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    received_on = models.DateField(_("received"))
    admitted_on = models.DateField(_("admitted to hospital"), null=True, blank=True)
    ready_for_discharge_on = models.DateField(_("ready for discharge"), null=True, blank=True)
    planned_home_on = models.DateField(_("planned homecoming"), null=True, blank=True)
    home_care_hours_before = models.DecimalField(
        _("home-care hours per week before admission"), max_digits=5, decimal_places=1, default=0
    )
    triage = models.CharField(_("triage"), max_length=10, choices=Triage.choices)
    feels_safe = models.CharField(
        _("Do you feel safe about coming home?"), max_length=10, choices=FeelsSafe.choices
    )
    exclusion_criteria = models.ManyToManyField(
        ExclusionCriterion, blank=True, related_name="+", verbose_name=_("exclusion criteria")
    )
    registered_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-received_on", "-created_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(home_care_hours_before__gte=0)
                & models.Q(home_care_hours_before__lte=168),
                name="referral_home_care_hours_in_week",
            )
        ]

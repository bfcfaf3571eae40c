from django.db import models
from django.utils.translation import gettext_lazy as _

from trygghem.core.models import BaseModel
from trygghem.episodes.models import Episode
from trygghem.people.models import Person
from trygghem.staff.models import Staff, Team


class Instrument(BaseModel):
    """A standard assessment instrument as versioned data: its items, their scales and how it is
    scored (`definition`, see rules.validate_answers). A new version is a new row; assessments
    keep the version they were made with."""

    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=100)
    definition = models.JSONField(_("definition"))
    requires_licence = models.BooleanField(_("requires a licence"), default=False)
    licensed_teams = models.ManyToManyField(
        Team, related_name="+", blank=True, verbose_name=_("teams licensed to use it")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="instrument_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class Assessment(BaseModel):
    """One instrument used with the person on one occasion: the answers item by item and the
    scores computed from them by rules.compute_scores (never typed in)."""

    class Occasion(models.TextChoices):
        BASELINE = "baseline", _("Baseline")
        FOLLOW_UP = "follow_up", _("Follow-up")
        END = "end", _("End")
        PLUS_3_MONTHS = "plus_3_months", _("3 months after")
        PLUS_6_MONTHS = "plus_6_months", _("6 months after")
        PLUS_12_MONTHS = "plus_12_months", _("12 months after")

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="assessments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assessments")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="assessments")
    instrument_code = models.SlugField(max_length=40)
    occasion = models.CharField(_("occasion"), max_length=20, choices=Occasion.choices)
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(_("answers"), default=dict)
    scores = models.JSONField(_("scores"), default=dict)

    class Meta:
        ordering = ["assessed_on", "created_at"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            # One assessment per instrument and occasion, whichever version was used.
            models.UniqueConstraint(
                fields=["episode", "instrument_code", "occasion"],
                name="assessment_once_per_instrument_and_occasion",
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument_code} {self.occasion} {self.assessed_on}"

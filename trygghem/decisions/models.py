import datetime
import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from trygghem.core.models import BaseModel
from trygghem.episodes.models import Episode, Program
from trygghem.people.models import Person
from trygghem.staff.models import Staff

SOL_4_1 = "SoL 4 kap. 1 §"


class Decision(BaseModel):
    """A time-limited decision under SoL 4 kap. 1 §. Adjusting it writes a new version in the
    same series; earlier versions stay readable and are never changed."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="decisions")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="decisions")
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="+", verbose_name=_("program")
    )
    legal_basis = models.CharField(_("legal basis"), max_length=40, default=SOL_4_1)
    granted_services = models.TextField(_("granted services"))
    start_on = models.DateField(_("start"))
    end_on = models.DateField(_("end"))
    follow_up_on = models.DateField(_("follow-up"))
    series = models.UUIDField(default=uuid.uuid4, editable=False)
    version = models.PositiveSmallIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    terminated_on = models.DateField(_("terminated"), null=True, blank=True)
    change_reason = models.CharField(_("reason for the change"), max_length=300, blank=True)
    decided_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["start_on", "version"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        indexes = [models.Index(fields=["person", "is_current"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gte=F("start_on")), name="decision_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(follow_up_on__gte=F("start_on"), follow_up_on__lte=F("end_on")),
                name="decision_follow_up_within_period",
            ),
            models.UniqueConstraint(fields=["series", "version"], name="decision_unique_version"),
            models.UniqueConstraint(
                fields=["series"], condition=Q(is_current=True), name="decision_one_current_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} {self.start_on}–{self.end_on} (v{self.version})"

    @property
    def effective_end_on(self) -> datetime.date:
        """The last day the decision runs: its end, or the day it was terminated early."""
        if self.terminated_on is not None and self.terminated_on < self.end_on:
            return self.terminated_on
        return self.end_on

    @property
    def length_days(self) -> int:
        return (self.end_on - self.start_on).days + 1


class HomeCareDecision(BaseModel):
    """An ordinary home-care decision (biståndsbeslut om hemtjänst, SoL 4 kap. 1 §) with the
    hours a week it grants; open-ended until ended or replaced from a day. A person has at most
    one in force on any day (the services refuse overlaps)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="home_care_decisions")
    episode = models.ForeignKey(
        Episode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="home_care_decisions",
        verbose_name=_("follows from the episode"),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=40, default=SOL_4_1)
    hours_per_week = models.DecimalField(
        _("granted hours per week"), max_digits=5, decimal_places=1
    )
    start_on = models.DateField(_("start"))
    end_on = models.DateField(_("end"), null=True, blank=True)
    decided_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["start_on"]
        verbose_name = _("home-care decision")
        verbose_name_plural = _("home-care decisions")
        indexes = [models.Index(fields=["person", "start_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=0) & Q(hours_per_week__lte=168),
                name="homecaredecision_hours_in_week",
                violation_error_message=_("The hours a week must be from 0 to 168."),
            ),
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="homecaredecision_ends_after_start",
                violation_error_message=_("The decision cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hours_per_week} h/v {self.start_on}–{self.end_on or ''}"

    def in_force_on(self, day: datetime.date) -> bool:
        return self.start_on <= day and (self.end_on is None or day <= self.end_on)

    def open_on(self, day: datetime.date) -> bool:
        """Not ended before `day`: it can still be ended or its hours changed."""
        return self.end_on is None or self.end_on >= day

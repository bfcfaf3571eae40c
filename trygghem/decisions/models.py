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

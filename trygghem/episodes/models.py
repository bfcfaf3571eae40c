from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trygghem.core.models import BaseModel
from trygghem.people.models import Person
from trygghem.referrals.models import Referral
from trygghem.staff.models import Staff, Team


class Program(BaseModel):
    """A time-limited reablement program with its maximum decision length (configurable)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    max_days = models.PositiveSmallIntegerField(_("maximum length in days"))
    follow_up_after_days = models.PositiveSmallIntegerField(_("follow-up after days"), default=5)
    teams = models.ManyToManyField(
        Team, related_name="programs", blank=True, verbose_name=_("teams that work in it")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.CheckConstraint(condition=Q(max_days__gte=1), name="program_max_days_positive")
        ]

    def __str__(self) -> str:
        return self.name


class EndReason(BaseModel):
    """Why an episode ended, or why a referral was closed without enrolment."""

    class Stage(models.TextChoices):
        REFERRAL = "referral", _("Closing a referral")
        EPISODE = "episode", _("Ending an episode")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    is_handover = models.BooleanField(_("hands over to ordinary home care"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["stage", "order", "name"]
        verbose_name = _("end reason")
        verbose_name_plural = _("end reasons")

    def __str__(self) -> str:
        return self.name


class Episode(BaseModel):
    """One time-limited reablement period for one person, from referral to end."""

    class Status(models.TextChoices):
        REFERRED = "referred", _("Referred")
        DECIDED = "decided", _("Decided")
        ACTIVE = "active", _("Active (at home)")
        FOLLOW_UP_HELD = "follow_up_held", _("Follow-up held")
        ENDED = "ended", _("Ended")
        CLOSED = "closed", _("Closed without enrolment")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="episodes")
    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="episode")
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="episodes", verbose_name=_("program")
    )
    unit = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("needs-assessment unit")
    )
    teams = models.ManyToManyField(Team, related_name="episodes", verbose_name=_("teams"))
    case_officer = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("case officer")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REFERRED
    )
    home_at = models.DateTimeField(_("homecoming"), null=True, blank=True)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    end_reason = models.ForeignKey(
        EndReason, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("episode")
        verbose_name_plural = _("episodes")
        indexes = [models.Index(fields=["status"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        status__in=["ended", "closed"],
                        ended_on__isnull=False,
                        end_reason__isnull=False,
                    )
                    | (
                        ~Q(status__in=["ended", "closed"])
                        & Q(ended_on__isnull=True, end_reason__isnull=True)
                    )
                ),
                name="episode_end_fields_match_status",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["active", "follow_up_held"]) | Q(home_at__isnull=False),
                name="episode_active_has_homecoming",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.ENDED, self.Status.CLOSED)

    @property
    def is_enrolled(self) -> bool:
        """Decided and not ended: the person is (about to be) in reablement."""
        return self.status in (self.Status.DECIDED, self.Status.ACTIVE, self.Status.FOLLOW_UP_HELD)


class Transition(models.Model):
    """Who moved an episode from one state to another, when and why."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Episode.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Episode.Status.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status}"

    @property
    def reason_display(self) -> str:
        """A follow-up's move keeps the outcome's code as its reason; show its label."""
        if self.to_status == Episode.Status.FOLLOW_UP_HELD and self.reason in FollowUp.Outcome:
            return str(FollowUp.Outcome(self.reason).label)
        return self.reason


class FollowUp(BaseModel):
    """A follow-up meeting with the person (Hofors: after a few days; physical or digital)."""

    class Mode(models.TextChoices):
        PHYSICAL = "physical", _("Physical meeting")
        DIGITAL = "digital", _("Digital meeting")

    class Participant(models.TextChoices):
        PERSON = "person", _("The person")
        TEAM_STAFF = "team_staff", _("Team staff")
        CASE_OFFICER = "case_officer", _("Case officer")
        NURSE = "nurse", _("Nurse")
        PT = "pt", _("Physiotherapist")
        OT = "ot", _("Occupational therapist")
        RELATIVE = "relative", _("Relative")

    class Outcome(models.TextChoices):
        CONTINUE = "continue", _("Continue as decided")
        ADJUST_DECISION = "adjust_decision", _("Adjust the decision")
        END = "end", _("End the episode")

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="follow_ups")
    held_on = models.DateField(_("held on"))
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    participants = models.JSONField(_("participants"), default=list)
    manages_now = models.TextField(_("what the person manages now"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["held_on", "created_at"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def participant_labels(self) -> list[str]:
        labels = dict(self.Participant.choices)
        return [str(labels.get(code, code)) for code in self.participants]


class ImplementationPlan(BaseModel):
    """The genomförandeplan handed to ordinary home care when the episode ends with handover."""

    episode = models.OneToOneField(
        Episode, on_delete=models.PROTECT, related_name="implementation_plan"
    )
    receiving_team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("receiving home-care group"),
    )
    remaining_needs = models.TextField(_("remaining needs"))
    goals_to_maintain = models.TextField(_("goals to maintain"))
    contacts = models.TextField(_("contacts"), blank=True)
    written_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("implementation plan")
        verbose_name_plural = _("implementation plans")


class PlannedService(BaseModel):
    """A service in the implementation plan and how it is carried out rehabilitatively."""

    plan = models.ForeignKey(ImplementationPlan, on_delete=models.CASCADE, related_name="services")
    what = models.CharField(_("service"), max_length=200)
    how = models.TextField(_("how it is carried out (rehabilitating approach)"))
    when = models.CharField(_("when and how often"), max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

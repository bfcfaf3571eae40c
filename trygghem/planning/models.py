"""One shared plan for the reablement team, the rehab unit and home care (seed 002): shifts
(planning rows), delegations, service templates and the visits generated from them.

Times of day are whole minutes from 00:00 of the day, as in the planner's JSON format."""

from django.db import models
from django.db.models import F, Q
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext_lazy as _

from trygghem.core.models import BaseModel
from trygghem.episodes.models import Episode
from trygghem.people.models import Person
from trygghem.planning.rules import clock
from trygghem.rehab.models import PlanAction
from trygghem.staff.models import Staff, Team


class Law(models.TextChoices):
    SOL = "SoL", _("SoL (social services)")
    HSL = "HSL", _("HSL (health care)")


class Shift(BaseModel):
    """A staff member's working hours on a day: their row (planeringsrad) in one team's plan.
    A rehab assistant's row in a home-care group's plan is a shift with that group as team."""

    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="shifts", verbose_name=_("staff member")
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("plan of team")
    )
    day = models.DateField(_("day"))
    start_minute = models.PositiveSmallIntegerField(_("starts"))
    end_minute = models.PositiveSmallIntegerField(_("ends"))
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["day", "start_minute"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        constraints = [
            models.UniqueConstraint(fields=["staff", "day"], name="shift_one_per_staff_and_day"),
            models.CheckConstraint(
                condition=Q(start_minute__lt=F("end_minute"), end_minute__lte=24 * 60),
                name="shift_starts_before_it_ends",
            ),
        ]


class Delegation(BaseModel):
    """A nurse delegates a health-care task (e.g. giving medication) to a named staff member for
    a limited time; without a valid one the staff member may not do visits needing it."""

    class Task(models.TextChoices):
        MEDICATION = "medication", _("Giving medication")
        INSULIN = "insulin", _("Insulin injection")
        WOUND_CARE = "wound_care", _("Simple wound care")

    task = models.CharField(_("task"), max_length=20, choices=Task.choices)
    issued_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="delegations", verbose_name=_("to")
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    withdrawn_on = models.DateField(_("withdrawn"), null=True, blank=True)
    changed_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["valid_to", "task"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__lte=F("valid_to")), name="delegation_from_before_to"
            )
        ]


class ServiceTemplate(BaseModel):
    """A recurring service (insats) of an episode: what, when, how long, by whom. Visits are
    generated from it per day; the duration may step down after some days (tapering)."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="service_templates")
    what = models.CharField(_("what"), max_length=200)
    law = models.CharField(_("law"), max_length=3, choices=Law.choices, default=Law.SOL)
    weekdays = models.JSONField(_("weekdays (0 = Monday)"), default=list)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    window_start_minute = models.PositiveSmallIntegerField(_("earliest start"))
    window_end_minute = models.PositiveSmallIntegerField(_("latest start"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration in minutes"))
    taper_after_days = models.PositiveSmallIntegerField(
        _("shorter after this many days"), null=True, blank=True
    )
    taper_to_minutes = models.PositiveSmallIntegerField(
        _("shorter duration in minutes"), null=True, blank=True
    )
    skills = models.JSONField(_("skills needed"), default=list, blank=True)
    staff_count = models.PositiveSmallIntegerField(_("number of staff"), default=1)
    goal_text = models.CharField(_("goal"), max_length=300, blank=True)
    # A prescribed training action of the rehab plan this template carries out: the link
    # goal -> action -> template -> visits (issue 3).
    plan_action = models.ForeignKey(
        PlanAction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_templates",
        verbose_name=_("training action"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("always done by"),
        help_text=_("Empty: the reablement team in its hours, otherwise the home-care group."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["window_start_minute"]
        verbose_name = _("service template")
        verbose_name_plural = _("service templates")
        constraints = [
            models.CheckConstraint(
                condition=Q(staff_count__gte=1, staff_count__lte=2),
                name="servicetemplate_one_or_two_staff",
            ),
            models.CheckConstraint(
                condition=Q(window_start_minute__lte=F("window_end_minute")),
                name="servicetemplate_window_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.what

    @property
    def window_text(self) -> str:
        return f"{clock(self.window_start_minute)}–{clock(self.window_end_minute)}"

    @property
    def weekdays_text(self) -> str:
        return ", ".join(str(WEEKDAYS_ABBR[day]) for day in sorted(self.weekdays))


class Visit(BaseModel):
    """One visit to a person on a day: planned (window, start, staff), then recorded (what
    happened, how independently the person did it)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        NOT_DONE = "not_done", _("Not done")

    class Independence(models.TextChoices):
        DID_IT_THEMSELVES = "did_it_themselves", _("Did it themselves")
        WITH_SUPPORT = "with_support", _("With support")
        DONE_FOR_THEM = "done_for_them", _("Done for them")

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="visits")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="visits")
    template = models.ForeignKey(
        ServiceTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="visits"
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="visits", verbose_name=_("team")
    )
    day = models.DateField(_("day"))
    what = models.CharField(_("what"), max_length=200)
    law = models.CharField(_("law"), max_length=3, choices=Law.choices, default=Law.SOL)
    goal_text = models.CharField(_("goal"), max_length=300, blank=True)
    window_start_minute = models.PositiveSmallIntegerField(_("earliest start"))
    window_end_minute = models.PositiveSmallIntegerField(_("latest start"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration in minutes"))
    skills = models.JSONField(_("skills needed"), default=list, blank=True)
    staff_count = models.PositiveSmallIntegerField(_("number of staff"), default=1)
    with_the_person = models.BooleanField(_("do it with the person, not for them"), default=False)
    planned_start_minute = models.PositiveSmallIntegerField(_("planned start"), null=True)
    staff: "models.ManyToManyField[Staff, VisitAssignment]" = models.ManyToManyField(
        Staff, through="VisitAssignment", related_name="visits", verbose_name=_("staff")
    )
    override_reason = models.CharField(_("reason for the override"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    actual_start_minute = models.PositiveSmallIntegerField(_("actual start"), null=True)
    actual_end_minute = models.PositiveSmallIntegerField(_("actual end"), null=True)
    independence = models.CharField(
        _("how independently"), max_length=20, choices=Independence.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    deterioration = models.BooleanField(_("deterioration noticed"), default=False)
    recorded_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["day", "planned_start_minute", "window_start_minute", "id"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [models.Index(fields=["day", "team"]), models.Index(fields=["person", "day"])]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "day"],
                condition=Q(template__isnull=False),
                name="visit_one_per_template_and_day",
            ),
            models.CheckConstraint(
                condition=Q(staff_count__gte=1, staff_count__lte=2),
                name="visit_one_or_two_staff",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.what}"

    @property
    def window_text(self) -> str:
        return f"{clock(self.window_start_minute)}–{clock(self.window_end_minute)}"

    @property
    def planned_text(self) -> str:
        if self.planned_start_minute is None:
            return ""
        end = self.planned_start_minute + self.duration_minutes
        return f"{clock(self.planned_start_minute)}–{clock(end)}"

    @property
    def actual_text(self) -> str:
        if self.actual_start_minute is None or self.actual_end_minute is None:
            return ""
        return f"{clock(self.actual_start_minute)}–{clock(self.actual_end_minute)}"


class VisitAssignment(models.Model):
    """A staff member on a visit (at most two, checked by the service)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="assignments")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="visit_assignments")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visit", "staff"], name="visitassignment_once")
        ]

    def __str__(self) -> str:
        return f"{self.visit_id}: {self.staff_id}"


class EpisodeStaffWork(models.Model):
    """The visits a staff member did for an episode and their minutes (actual end - start):
    a summary of the visits done, so that reports need not read every visit. Kept equal to the
    visits by `services.rebuild_visit_summaries`, which every service writing visits calls."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    visits_done = models.PositiveIntegerField()
    minutes_done = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["episode", "staff"], name="episodestaffwork_once"),
            models.CheckConstraint(
                condition=Q(visits_done__gte=1), name="episodestaffwork_some_visit_done"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.episode_id}: {self.staff_id}"


class EpisodeVisitDay(models.Model):
    """An episode's visits on a day, whatever their status, and how many of them were kept
    despite a detected conflict (an override): a summary of the visits kept equal to them by
    `services.rebuild_visit_summaries`."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    visits = models.PositiveIntegerField()
    overridden = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["episode", "day"], name="episodevisitday_once"),
        ]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.episode_id} {self.day}"


class MorningMeeting(BaseModel):
    """What a team decided at its morning meeting (morgonmöte) on a day. The notes are free
    text: they never reach a log."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("team")
    )
    day = models.DateField(_("day"))
    notes = models.TextField(_("what was decided"), blank=True)
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["day"]
        verbose_name = _("morning meeting")
        verbose_name_plural = _("morning meetings")
        constraints = [
            models.UniqueConstraint(fields=["team", "day"], name="morning_meeting_one_per_team_day")
        ]

    def __str__(self) -> str:
        return f"{self.team_id} {self.day}"


class PlanningRun(BaseModel):
    """One "Plan the day" for a team: the problem sent to the planner (ids only, no names or
    personnummer), the proposal it returned and its figures, until the coordinator accepts it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the planner")
        RUNNING = "running", _("Planning")
        DONE = "done", _("Proposal ready")
        FAILED = "failed", _("Failed")

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("team")
    )
    day = models.DateField(_("day"))
    requested_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.CharField(_("progress"), max_length=200, blank=True)
    sick_staff = models.JSONField(_("staff called in sick"), default=list, blank=True)
    problem = models.JSONField(_("problem"))
    current = models.JSONField(_("plan when requested"))
    warm_start = models.JSONField(_("plan to keep"), null=True, blank=True)
    proposal = models.JSONField(_("proposal"), null=True, blank=True)
    travel_minutes = models.FloatField(_("travel minutes"), null=True)
    unassigned_count = models.PositiveIntegerField(_("unassigned visits"), null=True)
    distinct_staff_mean = models.FloatField(_("different staff per person"), null=True)
    objective = models.FloatField(_("objective"), null=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("started"), null=True)
    finished_at = models.DateTimeField(_("finished"), null=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True)
    accepted_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("planning run")
        verbose_name_plural = _("planning runs")
        indexes = [models.Index(fields=["team", "day"])]

    def __str__(self) -> str:
        return f"{self.team_id} {self.day} {self.status}"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from trygghem.core.models import BaseModel
from trygghem.episodes.models import Episode
from trygghem.people.models import Person
from trygghem.staff.models import Staff

DEFAULT_DEVICE_FOLLOW_UP_DAYS = 14


class RehabPlan(BaseModel):
    """The rehab plan (rehabiliteringsplan) an OT or PT makes together with the person: an
    ICF-based summary of the assessment, goals, actions and reviews (Socialstyrelsen, seed 001)."""

    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="rehab_plan")
    written_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    impairments = models.TextField(_("impairments (body functions)"), blank=True)
    activity_limitations = models.TextField(
        _("activity limitations and participation restrictions"), blank=True
    )
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    # Goals, actions or the summary changed since the plan was made or last followed up: the next
    # follow-up is then a revision (KVÅ AW027) rather than a follow-up alone (AW024).
    changed_since_review = models.BooleanField(default=False)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("rehab plan")
        verbose_name_plural = _("rehab plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True, closed_by__isnull=True)
                | Q(closed_on__isnull=False, closed_by__isnull=False),
                name="rehab_plan_closed_fields_together",
            )
        ]

    def __str__(self) -> str:
        return f"{self.episode}"

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None


class PlanFactor(BaseModel):
    """An environmental or personal factor (ICF contextual factor), a resource or a barrier."""

    class Kind(models.TextChoices):
        ENVIRONMENTAL = "environmental", _("Environmental factor")
        PERSONAL = "personal", _("Personal factor")

    plan = models.ForeignKey(RehabPlan, on_delete=models.CASCADE, related_name="factors")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.CharField(_("factor"), max_length=300)
    is_resource = models.BooleanField(_("a resource (not a barrier)"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "order", "id"]
        verbose_name = _("factor")
        verbose_name_plural = _("factors")


class Goal(BaseModel):
    """A main goal or a sub-goal, in the person's own words, with the activity, its ICF code,
    the target and the date it should be reached."""

    plan = models.ForeignKey(RehabPlan, on_delete=models.CASCADE, related_name="goals")
    is_main = models.BooleanField(_("main goal"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_goals",
        verbose_name=_("main goal"),
    )
    own_words = models.TextField(_("the goal in the person's own words"))
    activity = models.CharField(_("activity"), max_length=200)
    icf_code = models.CharField(_("ICF code"), max_length=8)
    target = models.CharField(_("target"), max_length=300)
    target_on = models.DateField(_("target date"))
    added_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-is_main", "target_on", "created_at", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_main=True, parent__isnull=True)
                | Q(is_main=False, parent__isnull=False),
                name="goal_main_or_sub_goal_of_a_main_goal",
            )
        ]

    def __str__(self) -> str:
        return self.own_words


class PlanAction(BaseModel):
    """A planned action: what, who is responsible, how often and until when. A prescribed
    training action (träningsinsats) is also a service template for the shared plan: its time
    window, duration and who may carry it out are read by the planning app."""

    class Who(models.TextChoices):
        OT = "ot", _("Occupational therapist")
        PT = "pt", _("Physiotherapist")
        REHAB_ASSISTANT = "rehab_assistant", _("Rehab assistant")
        CARE_WORKER = "care_worker", _("Care worker")
        PERSON = "person", _("The person (self-care)")

    class Performer(models.TextChoices):
        REHAB_ASSISTANT = "rehab_assistant", _("Rehab assistant")
        CARE_WORKER = "care_worker", _("Care worker")

    plan = models.ForeignKey(RehabPlan, on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(
        Goal, on_delete=models.PROTECT, related_name="actions", verbose_name=_("goal")
    )
    what = models.CharField(_("what"), max_length=200)
    who = models.CharField(_("who"), max_length=20, choices=Who.choices)
    times_per_week = models.PositiveSmallIntegerField(_("times per week"))
    until_on = models.DateField(_("until"))
    is_training = models.BooleanField(_("prescribed training"), default=False)
    window_start = models.TimeField(_("time window from"), null=True, blank=True)
    window_end = models.TimeField(_("time window to"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), null=True)
    performed_by = models.CharField(
        _("may be carried out by"), max_length=20, choices=Performer.choices, blank=True
    )
    added_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(times_per_week__gte=1), name="plan_action_at_least_once_a_week"
            ),
            models.CheckConstraint(
                condition=Q(is_training=False)
                | (
                    Q(
                        window_start__isnull=False,
                        window_end__isnull=False,
                        duration_minutes__isnull=False,
                        window_end__gt=F("window_start"),
                    )
                    & ~Q(performed_by="")
                ),
                name="plan_action_training_is_a_service_template",
            ),
        ]

    def __str__(self) -> str:
        return self.what


class PlanReview(BaseModel):
    """A follow-up of the plan with the person: goal attainment, and whether it was revised."""

    plan = models.ForeignKey(RehabPlan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    note = models.TextField(_("note"), blank=True)
    revised = models.BooleanField(_("the plan was revised"))
    reviewed_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["reviewed_on", "created_at"]
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")
        constraints = [
            models.UniqueConstraint(fields=["plan", "reviewed_on"], name="plan_review_one_per_day")
        ]


class GoalAttainment(models.Model):
    """How far one goal was reached at one review."""

    class Level(models.TextChoices):
        ACHIEVED = "achieved", _("Achieved")
        PARTLY = "partly", _("Partly achieved")
        NOT_ACHIEVED = "not_achieved", _("Not achieved")
        CHANGED = "changed", _("Goal changed")

    review = models.ForeignKey(PlanReview, on_delete=models.CASCADE, related_name="attainments")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="attainments")
    level = models.CharField(_("attainment"), max_length=20, choices=Level.choices)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "goal"], name="goal_attainment_once")
        ]

    def __str__(self) -> str:
        return self.level


class KvaEvent(models.Model):
    """A KVÅ code recorded on the event it describes (Socialstyrelsen's classification of
    health-care actions): AW020 plan made, AW024 followed up, AW027 followed up and revised,
    AW035 closed."""

    class Code(models.TextChoices):
        AW020 = "AW020", _("AW020 Rehab plan made")
        AW024 = "AW024", _("AW024 Rehab plan followed up")
        AW027 = "AW027", _("AW027 Rehab plan followed up and revised")
        AW035 = "AW035", _("AW035 Rehab plan closed")

    plan = models.ForeignKey(RehabPlan, on_delete=models.PROTECT, related_name="kva_events")
    code = models.CharField(_("KVÅ code"), max_length=5, choices=Code.choices)
    on = models.DateField(_("on"))
    by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("KVÅ code")
        verbose_name_plural = _("KVÅ codes")

    def __str__(self) -> str:
        return f"{self.code} {self.on}"


class DeviceType(BaseModel):
    """A kind of assistive device offered in the list (configurable), with how many days after
    delivery its use is followed up."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    follow_up_after_days = models.PositiveSmallIntegerField(
        _("follow up after days"), default=DEFAULT_DEVICE_FOLLOW_UP_DAYS
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("assistive device type")
        verbose_name_plural = _("assistive device types")

    def __str__(self) -> str:
        return self.name


class AssistiveDevice(BaseModel):
    """An assistive device (hjälpmedel) the person has: who prescribed it, and when it was
    prescribed, delivered, followed up and returned (returned as independence grows, seed 000)."""

    class Prescriber(models.TextChoices):
        HOSPITAL = "hospital", _("Hospital (first days after discharge)")
        PRIMARY_CARE = "primary_care", _("Primary care")
        MUNICIPAL_REHAB = "municipal_rehab", _("Municipal rehab")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assistive_devices")
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, null=True, blank=True, related_name="assistive_devices"
    )
    device_type = models.ForeignKey(
        DeviceType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("type")
    )
    description = models.CharField(_("device"), max_length=200, blank=True)
    prescribed_by = models.CharField(_("prescribed by"), max_length=20, choices=Prescriber.choices)
    prescriber = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    prescribed_on = models.DateField(_("prescribed"))
    delivered_on = models.DateField(_("delivered"), null=True, blank=True)
    follow_up_due_on = models.DateField(_("follow-up due"), null=True, blank=True)
    followed_up_on = models.DateField(_("followed up"), null=True, blank=True)
    returned_on = models.DateField(_("returned"), null=True, blank=True)
    registered_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["prescribed_on", "created_at"]
        verbose_name = _("assistive device")
        verbose_name_plural = _("assistive devices")
        constraints = [
            models.CheckConstraint(
                condition=Q(device_type__isnull=False) | ~Q(description=""),
                name="device_has_a_type_or_description",
            ),
            models.CheckConstraint(
                condition=Q(delivered_on__isnull=True) | Q(delivered_on__gte=F("prescribed_on")),
                name="device_delivered_after_prescribed",
            ),
            models.CheckConstraint(
                condition=Q(followed_up_on__isnull=True)
                | Q(delivered_on__isnull=False, followed_up_on__gte=F("delivered_on")),
                name="device_followed_up_after_delivery",
            ),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True)
                | Q(delivered_on__isnull=False, returned_on__gte=F("delivered_on")),
                name="device_returned_after_delivery",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.description:
            return self.description
        return self.device_type.name if self.device_type is not None else ""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trygghem.core.models import BaseModel


class Team(BaseModel):
    """A unit staff belong to: the needs-assessment unit, a reablement team, rehab, or a
    home-care group."""

    class Kind(models.TextChoices):
        NEEDS_ASSESSMENT = "needs_assessment", _("Needs-assessment unit")
        REABLEMENT = "reablement", _("Reablement team")
        REHAB = "rehab", _("Rehab unit")
        HOME_CARE = "home_care", _("Home-care group")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    phone_hours = models.CharField(_("phone hours"), max_length=100, blank=True)
    # Where the team's rounds start and end (the planner's depot); unset: the middle of the
    # day's homes.
    office_latitude = models.FloatField(_("office latitude"), null=True, blank=True)
    office_longitude = models.FloatField(_("office longitude"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class Staff(BaseModel):
    """A member of municipal staff: one role, one or more teams, one log-in."""

    class Role(models.TextChoices):
        CASE_OFFICER = "case_officer", _("Case officer")
        OT = "ot", _("Occupational therapist")
        PT = "pt", _("Physiotherapist")
        NURSE = "nurse", _("Nurse")
        REHAB_ASSISTANT = "rehab_assistant", _("Rehab assistant")
        CARE_WORKER = "care_worker", _("Care worker")
        COORDINATOR = "coordinator", _("Coordinator")
        MANAGER = "manager", _("Manager")
        MAS = "mas", _("Medically responsible nurse (MAS)")
        ADMIN = "admin", _("Administrator")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    teams = models.ManyToManyField(
        Team, related_name="members", blank=True, verbose_name=_("teams")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trygghem.core.models import BaseModel
from trygghem.episodes.models import Program
from trygghem.fees.models import FeeRule
from trygghem.staff.models import Staff, Team


class ReportSettings(BaseModel):
    """The reference values the follow-up is measured against; one row, changed in the admin.
    Defaults: break-even at 30 enrolments a month (seed 002), payment liability from the third
    calendar day after the ready-for-discharge notice, readmissions within 30 days."""

    singleton = models.BooleanField(default=True, unique=True, editable=False)
    break_even_per_month = models.PositiveSmallIntegerField(
        _("break-even: enrolments per month"), default=30
    )
    liability_from_day = models.PositiveSmallIntegerField(
        _("payment liability from calendar day after ready for discharge"),
        default=3,
        help_text=_("3 unless a regional agreement says otherwise."),
    )
    readmission_window_days = models.PositiveSmallIntegerField(
        _("readmission window in days"), default=30
    )
    monthly_team_cost = models.DecimalField(
        _("fixed team cost per month (kr)"),
        max_digits=10,
        decimal_places=0,
        default=Decimal(300000),
        help_text=_("Costs beside the staff hours of visits: premises, cars, management."),
    )
    short_term_days_avoided = models.DecimalField(
        _("short-term care days avoided per enrolment"),
        max_digits=5,
        decimal_places=1,
        default=Decimal(0),
        help_text=_("An assumption; 0 unless the municipality has measured it."),
    )
    short_term_day_cost = models.DecimalField(
        _("cost of a short-term care day (kr)"),
        max_digits=8,
        decimal_places=0,
        default=Decimal(2800),
    )

    class Meta:
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")
        constraints = [
            models.CheckConstraint(condition=Q(singleton=True), name="reportsettings_one_row"),
            models.CheckConstraint(
                condition=Q(readmission_window_days__gte=1),
                name="reportsettings_window_positive",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Report settings"))


class TeamCapacity(BaseModel):
    """How many people a team can have enrolled at once (SKL guide figure 6: concurrent places)."""

    team = models.OneToOneField(
        Team, on_delete=models.CASCADE, related_name="capacity", verbose_name=_("team")
    )
    places = models.PositiveSmallIntegerField(_("concurrent places"))

    class Meta:
        ordering = ["team__name"]
        verbose_name = _("team capacity")
        verbose_name_plural = _("team capacities")

    def __str__(self) -> str:
        return f"{self.team}: {self.places}"


class ProgramFee(BaseModel):
    """Which fee rule charges the days of a program (Hofors: Trygg hemgång and Trygg hemma both
    at 1/14 of the maxtaxa per day). A program without one is free."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="+", verbose_name=_("program")
    )
    fee_rule = models.ForeignKey(
        FeeRule, on_delete=models.PROTECT, related_name="+", verbose_name=_("fee rule")
    )

    class Meta:
        ordering = ["program__name"]
        verbose_name = _("program fee")
        verbose_name_plural = _("program fees")

    def __str__(self) -> str:
        return f"{self.program} → {self.fee_rule}"


class RoleCost(BaseModel):
    """What an hour of a role's time costs, wages and overheads included, for the cost of an
    episode's visits."""

    role = models.CharField(_("role"), max_length=20, choices=Staff.Role.choices, unique=True)
    cost_per_hour = models.DecimalField(_("cost per hour (kr)"), max_digits=7, decimal_places=0)

    class Meta:
        ordering = ["role"]
        verbose_name = _("hourly cost of a role")
        verbose_name_plural = _("hourly costs of roles")

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.cost_per_hour} kr"

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trygghem.core.models import BaseModel
from trygghem.fees.rules import FeeKind
from trygghem.people.models import Person
from trygghem.staff.models import Staff


class MaxFee(BaseModel):
    """The national monthly maxtaxa for home-based elderly care, per year."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    monthly_max = models.DecimalField(_("maxtaxa per month (kr)"), max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("maxtaxa")
        verbose_name_plural = _("maxtaxa per year")

    def __str__(self) -> str:
        return f"{self.year}: {self.monthly_max} kr"


class FeeRule(BaseModel):
    """How a service is charged: a day share of the maxtaxa (Trygg hemgång 1/14, short-term
    care 1/9 plus food), an hourly fee, or free. Municipalities configure their own."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=[
            (FeeKind.FREE.value, _("Free")),
            (FeeKind.DAY_SHARE.value, _("Share of the maxtaxa per day")),
            (FeeKind.PER_HOUR.value, _("Per hour")),
        ],
    )
    share_denominator = models.PositiveSmallIntegerField(_("share: 1 divided by"), default=0)
    hourly_amount = models.DecimalField(
        _("per hour (kr)"), max_digits=8, decimal_places=2, default=0
    )
    food_per_day = models.DecimalField(
        _("food per day (kr)"), max_digits=8, decimal_places=2, default=0
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("fee rule")
        verbose_name_plural = _("fee rules")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=FeeKind.DAY_SHARE.value) | Q(share_denominator__gte=1),
                name="feerule_day_share_has_denominator",
                violation_error_message=_("A day share needs a denominator of at least 1."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class FeeRoom(BaseModel):
    """A person's fee room (avgiftsutrymme): the most they can pay a month for home-based
    services, worked out by the fee administrator. The latest one valid from the first day of a
    month or earlier applies to that month."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="fee_rooms", verbose_name=_("person")
    )
    amount = models.DecimalField(_("fee room per month (kr)"), max_digits=8, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    recorded_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        ordering = ["person", "-valid_from"]
        verbose_name = _("fee room")
        verbose_name_plural = _("fee rooms")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "valid_from"],
                name="feeroom_one_per_person_and_day",
                violation_error_message=_("A fee room is already recorded from that day."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="feeroom_amount_not_negative",
                violation_error_message=_("The fee room cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.valid_from}: {self.amount} kr"

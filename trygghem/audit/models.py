from django.db import models
from django.utils.translation import gettext_lazy as _

from trygghem.people.models import Person
from trygghem.staff.models import Staff

# What each logged event means, for the MAS reading the log. A code missing here is shown as is.
EVENT_LABELS = {
    "worklist": _("Listed on the start page"),
    "person.detail": _("Opened the person's page"),
    "episode.detail": _("Opened the episode"),
    "episode.close": _("Opened: close referral"),
    "episode.homecoming": _("Opened: register homecoming"),
    "episode.follow_up": _("Opened: record follow-up"),
    "episode.end": _("Opened: end episode"),
    "episode.hand_over": _("Opened: handover"),
    "decision.detail": _("Opened a decision"),
    "decision.grant": _("Opened: grant decision"),
    "decision.adjust": _("Opened: adjust decision"),
    "implementation_plan.pdf": _("Printed the implementation plan"),
    "fees.basis": _("Exported in the monthly fee basis"),
    "assessment.record": _("Opened: record assessment"),
    "assessment.detail": _("Opened an assessment"),
    "assessment.section": _("Opened the assessments of the episode"),
    "referral.registered": _("Registered a referral"),
    "referral.closed": _("Closed a referral"),
    "decision.granted": _("Granted a decision"),
    "decision.adjusted": _("Adjusted a decision"),
    "episode.homecoming_registered": _("Registered the homecoming"),
    "follow_up.recorded": _("Recorded a follow-up"),
    "episode.ended": _("Ended the episode"),
    "episode.handed_over": _("Handed over to ordinary home care"),
    "assessment.recorded": _("Recorded an assessment"),
    "rehab.section": _("Opened the rehab section of the episode"),
    "rehab_plan.create": _("Opened: write rehab plan"),
    "rehab_plan.edit": _("Opened: edit the rehab plan"),
    "rehab_plan.detail": _("Opened the rehab plan"),
    "rehab_plan.add_goal": _("Opened: add a goal"),
    "rehab_plan.add_action": _("Opened: add an action"),
    "rehab_plan.review": _("Opened: review the rehab plan"),
    "rehab_plan.close": _("Opened: close the rehab plan"),
    "rehab_plan.pdf": _("Printed the person's rehab plan"),
    "rehab_plan.created": _("Made the rehab plan"),
    "rehab_plan.updated": _("Edited the rehab plan"),
    "rehab_plan.goal_added": _("Added a goal to the rehab plan"),
    "rehab_plan.action_added": _("Added an action to the rehab plan"),
    "rehab_plan.reviewed": _("Reviewed the rehab plan"),
    "rehab_plan.closed": _("Closed the rehab plan"),
    "devices.list": _("Opened the assistive devices"),
    "device.register": _("Opened: register an assistive device"),
    "device.deliver": _("Opened: record a device's delivery"),
    "device.follow_up": _("Opened: record a device's follow-up"),
    "device.return": _("Opened: record a device's return"),
    "device.registered": _("Registered an assistive device"),
    "device.delivered": _("Recorded a device's delivery"),
    "device.followed_up": _("Followed up an assistive device"),
    "device.returned": _("Recorded a device's return"),
    "planning.day_plan": _("Listed on a team's day plan"),
    "planning.person_day": _("Opened the person's visits of a day"),
    "planning.my_day": _("Listed on the staff member's day"),
    "planning.morning_meeting": _("Listed on a team's morning meeting board"),
    "planning.run": _("Listed on a proposal of the automatic planner"),
    "services.list": _("Opened the episode's services"),
    "service_template.create": _("Opened: add a service"),
    "service_template.from_training": _("Opened: plan prescribed training as visits"),
    "service_template.created": _("Added a service to the shared plan"),
    "visit.assign": _("Opened: plan a visit"),
    "visit.check": _("Checked a visit's plan for conflicts"),
    "visit.record": _("Opened: record a visit"),
    "visits.generated": _("Generated the day's visits"),
    "visit.assigned": _("Planned a visit"),
    "visit.unassigned": _("Took a visit off the plan"),
    "visit.recorded": _("Recorded a visit"),
    "fee_room.recorded": _("Recorded a fee room"),
    "fee_room.record": _("Opened: record a fee room"),
    "home_care.section": _("Opened the person's home-care decisions"),
    "home_care_decision.grant": _("Opened: grant home-care decision"),
    "home_care_decision.end": _("Opened: end home-care decision"),
    "home_care_decision.replace": _("Opened: change the hours of a home-care decision"),
    "home_care_decision.granted": _("Granted a home-care decision"),
    "home_care_decision.ended": _("Ended a home-care decision"),
    "home_care_decision.replaced": _("Changed the hours of a home-care decision"),
}


class AccessLog(models.Model):
    """One read or write of a person's record. Append-only: the database refuses UPDATE and
    DELETE on this table (triggers in migration 0002)."""

    class Kind(models.TextChoices):
        READ = "read", _("Read")
        WRITE = "write", _("Write")

    class Purpose(models.TextChoices):
        CASE_HANDLING = "case_handling", _("Case handling")
        CARE = "care", _("Care and rehabilitation")
        MANAGEMENT = "management", _("Management and follow-up")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices)
    what = models.CharField(_("what"), max_length=60)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "-at"]), models.Index(fields=["staff", "-at"])]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.what}"

    @property
    def what_display(self) -> str:
        return str(EVENT_LABELS.get(self.what, self.what))

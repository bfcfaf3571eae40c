"""Demo rehab plans, written after the shared plan: a main goal in the person's own words with
one or two ICF-coded sub-goals, one to three actions including a prescribed training action,
reviews with goal attainment and their KVÅ codes, for most finished episodes and every person
at home; assistive devices for about 40%, some due for follow-up today. The training actions
of the people at home are linked to their "Träning enligt rehabplan" service templates
(goal -> action -> template -> visits).

Rows are bulk-inserted; like the rest of the demo, seed data writes no access-log rows."""

import datetime
import random
from collections.abc import Callable

from trygghem.core.time import local_date
from trygghem.episodes.models import Episode
from trygghem.planning.models import ServiceTemplate, Visit
from trygghem.rehab.models import (
    AssistiveDevice,
    DeviceType,
    Goal,
    GoalAttainment,
    KvaEvent,
    PlanAction,
    PlanReview,
    RehabPlan,
)
from trygghem.staff.models import Staff

Progress = Callable[[str], None]
FINISHED_REASONS = ["handover", "no_further_need"]
SHARE_FINISHED_WITH_PLAN = 0.85
SHARE_WITH_DEVICES = 0.4
TRAINING_WHAT = "Träning enligt rehabplan"
DAY = datetime.timedelta(days=1)
MUNICIPAL = AssistiveDevice.Prescriber.MUNICIPAL_REHAB
HOSPITAL = AssistiveDevice.Prescriber.HOSPITAL

# (own words, activity, ICF code, target)
MAIN_GOALS = [
    ("Jag vill kunna duscha själv igen", "Duscha", "d510", "Duschar själv med duschpall."),
    ("Jag vill klä på mig själv på morgonen", "Klä sig", "d540", "Klär på sig utan hjälp."),
    ("Jag vill gå till affären själv", "Gå utomhus", "d450", "Går 300 m med rollator."),
    ("Jag vill laga min egen frukost", "Laga mat", "d630", "Gör frukost själv varje dag."),
    ("Jag vill klara mina dagar hemma utan hemtjänst", "Daglig rutin", "d230", "Klarar dagen."),
]
SUB_GOALS = [
    ("Kunna ta mig i och ur duschen säkert", "Tvätta sig", "d510", "Förflyttar sig själv."),
    ("Ta på strumpor och skor själv", "Klä sig", "d540", "Med strumppådragare."),
    ("Gå i trappan till tvättstugan", "Gå", "d450", "Går trappan med stöd av ledstång."),
    ("Koka kaffe och värma gröt", "Laga enkla måltider", "d630", "Själv vid spisen."),
    ("Komma upp och igång på morgonen", "Genomföra daglig rutin", "d230", "Före kl 9."),
]
TRAINING = [
    "Balansträning i badrummet",
    "Gångträning med rollator",
    "Träning i att klä sig",
    "Träning i köket",
    "Uppresningar från stol",
]
OTHER_ACTIONS = [
    ("Hembesök och bedömning av bostaden", PlanAction.Who.OT),
    ("Egen träning enligt program", PlanAction.Who.PERSON),
    ("Uppföljning av gångförmåga", PlanAction.Who.PT),
]
DEVICES = ["Rollator", "Duschpall", "Toalettförhöjning", "Griptång"]
IMPAIRMENTS = [
    "Nedsatt balans och uthållighet efter fallet.",
    "Nedsatt styrka i benen och trötthet efter sjukhusvistelsen.",
    "Smärta i höften vid belastning.",
]
LIMITATIONS = [
    "Svårt att duscha och klä sig själv.",
    "Går osäkert utomhus, handlar inte själv.",
    "Orkar inte laga mat, äter oregelbundet.",
]


def write_rehab(*, seed: int, today: datetime.date, progress: Progress) -> dict[str, int]:
    progress("Sparar rehabplaner, mål och hjälpmedel …")
    rng = random.Random(seed + 5)  # noqa: S311  (a reproducible demo, not a secret)
    therapists = list(Staff.objects.filter(role__in=[Staff.Role.OT, Staff.Role.PT]).order_by("pk"))
    preferred = [s for s in therapists if s.user.username in ("arbetsterapeut", "fysioterapeut")]
    at_home = list(
        Episode.objects.filter(
            status__in=[Episode.Status.ACTIVE, Episode.Status.FOLLOW_UP_HELD],
            home_at__isnull=False,
        ).select_related("person").order_by("pk")
    )  # fmt: skip
    finished = [
        episode
        for episode in Episode.objects.filter(
            status=Episode.Status.ENDED,
            end_reason__code__in=FINISHED_REASONS,
            home_at__isnull=False,
        )
        .select_related("person")
        .order_by("pk")
        if rng.random() < SHARE_FINISHED_WITH_PLAN
    ]
    if not therapists:
        return {"rehabplaner": 0}
    writer = _Writer(rng, today, therapists, preferred)
    for episode in at_home + finished:
        writer.plan(episode)
    writer.save()
    linked = _link_training(writer.training_by_episode)
    return {
        "rehabplaner": len(writer.plans),
        "mål": Goal.objects.count(),
        "åtgärder": PlanAction.objects.count(),
        "hjälpmedel": AssistiveDevice.objects.count(),
        "träning i planeringen": linked,
    }


class _Writer:
    """Builds the rows in memory, then inserts them table by table."""

    def __init__(
        self,
        rng: random.Random,
        today: datetime.date,
        therapists: list[Staff],
        preferred: list[Staff],
    ) -> None:
        self.rng = rng
        self.today = today
        self.therapists = therapists
        self.preferred = preferred or therapists
        self.plans: list[tuple[Episode, RehabPlan, datetime.date]] = []
        self.training_by_episode: dict[int, PlanAction] = {}
        self.devices: list[AssistiveDevice] = []
        self.types = {t.name: t for t in DeviceType.objects.filter(name__in=DEVICES)}
        self._goals: list[tuple[RehabPlan, int, Goal]] = []
        self._actions: list[tuple[Goal, PlanAction]] = []
        self._reviews: list[tuple[PlanReview, list[tuple[Goal, str]]]] = []
        self._events: list[KvaEvent] = []

    def _who(self) -> Staff:
        # The demo's log-ins write most plans, so their worklists and pages have content.
        pool = self.preferred if self.rng.random() < 0.6 else self.therapists
        return self.rng.choice(pool)

    def plan(self, episode: Episode) -> None:
        assert episode.home_at is not None  # noqa: S101  (filtered)
        rng = self.rng
        made_on = local_date(episode.home_at) + DAY * rng.randint(0, 1)
        made_on = min(made_on, self.today)
        end_on = episode.ended_on or self.today + DAY * 10
        by = self._who()
        finished = episode.status == Episode.Status.ENDED
        plan = RehabPlan(
            episode=episode,
            written_by=by,
            impairments=rng.choice(IMPAIRMENTS),
            activity_limitations=rng.choice(LIMITATIONS),
            next_review_on=None if finished else max(self.today, made_on + 5 * DAY),
            closed_on=episode.ended_on if finished else None,
            closed_by=by if finished else None,
        )
        self.plans.append((episode, plan, made_on))
        index = rng.randrange(len(MAIN_GOALS))
        words, activity, icf, target = MAIN_GOALS[index]
        main = Goal(
            plan=plan,
            is_main=True,
            own_words=words,
            activity=activity,
            icf_code=icf,
            target=target,
            target_on=max(end_on, made_on),
            added_by=by,
        )
        self._goals.append((plan, 0, main))
        subs = []
        for sub_index in rng.sample(range(len(SUB_GOALS)), rng.randint(1, 2)):
            words, activity, icf, target = SUB_GOALS[sub_index]
            sub = Goal(
                plan=plan,
                is_main=False,
                parent=main,
                own_words=words,
                activity=activity,
                icf_code=icf,
                target=target,
                target_on=max(made_on + 7 * DAY, min(end_on, made_on + 10 * DAY)),
                added_by=by,
            )
            subs.append(sub)
            self._goals.append((plan, 1, sub))
        start = rng.choice([9, 10, 13])
        training = PlanAction(
            plan=plan,
            goal=subs[0],
            what=rng.choice(TRAINING),
            who=by.role,
            times_per_week=rng.choice([3, 5, 7]),
            until_on=max(end_on, made_on),
            is_training=True,
            window_start=datetime.time(start),
            window_end=datetime.time(start + 1),
            duration_minutes=rng.choice([30, 45]),
            performed_by=PlanAction.Performer.REHAB_ASSISTANT,
            added_by=by,
        )
        self._actions.append((subs[0], training))
        if not finished:
            self.training_by_episode[episode.pk] = training
        for what, who in rng.sample(OTHER_ACTIONS, rng.randint(0, 2)):
            self._actions.append(
                (
                    main,
                    PlanAction(
                        plan=plan,
                        goal=main,
                        what=what,
                        who=who,
                        times_per_week=rng.choice([1, 2, 7]),
                        until_on=max(end_on, made_on),
                        added_by=by,
                    ),
                )
            )
        self._events.append(KvaEvent(plan=plan, code=KvaEvent.Code.AW020, on=made_on, by=by))
        goals = [main, *subs]
        if finished and episode.ended_on is not None:
            self._review(plan, goals, episode.ended_on, by, final=True)
        elif made_on + 5 * DAY <= self.today:
            self._review(plan, goals, made_on + 5 * DAY, by, final=False)
        if rng.random() < SHARE_WITH_DEVICES:
            self._devices(episode, made_on, by, finished)

    def _review(
        self, plan: RehabPlan, goals: list[Goal], on: datetime.date, by: Staff, *, final: bool
    ) -> None:
        levels = (
            ["achieved", "achieved", "partly", "partly", "not_achieved"]
            if final
            else ["partly", "partly", "not_achieved", "achieved"]
        )
        revised = not final and self.rng.random() < 0.4
        review = PlanReview(plan=plan, reviewed_on=on, revised=revised, reviewed_by=by)
        self._reviews.append((review, [(goal, self.rng.choice(levels)) for goal in goals]))
        code = KvaEvent.Code.AW027 if revised else KvaEvent.Code.AW024
        self._events.append(KvaEvent(plan=plan, code=code, on=on, by=by))
        if final:
            self._events.append(KvaEvent(plan=plan, code=KvaEvent.Code.AW035, on=on, by=by))

    def _devices(self, episode: Episode, made_on: datetime.date, by: Staff, finished: bool) -> None:
        for name in self.rng.sample(DEVICES, self.rng.randint(1, 2)):
            device_type = self.types.get(name)
            follow_after = device_type.follow_up_after_days if device_type else 14
            # Some of today's people came home from hospital with a device delivered there
            # `follow_after` days ago: its follow-up is due today on the registering OT's list.
            prescriber: Staff | None = by
            delivered_on, prescribed_by = made_on, MUNICIPAL
            if not finished and self.rng.random() < 0.3:
                delivered_on, prescribed_by = self.today - follow_after * DAY, HOSPITAL
                prescriber = None
            due = delivered_on + follow_after * DAY
            followed_up = due if finished and due <= self.today else None
            self.devices.append(
                AssistiveDevice(
                    person=episode.person,
                    episode=episode,
                    device_type=device_type,
                    description="" if device_type else name,
                    prescribed_by=prescribed_by,
                    prescriber=prescriber,
                    prescribed_on=min(made_on, delivered_on),
                    delivered_on=delivered_on,
                    follow_up_due_on=due,
                    followed_up_on=followed_up,
                    returned_on=(
                        episode.ended_on
                        if finished and followed_up and episode.ended_on
                        and episode.ended_on >= delivered_on and self.rng.random() < 0.3
                        else None
                    ),
                    registered_by=by,
                )
            )  # fmt: skip

    def save(self) -> None:
        RehabPlan.objects.bulk_create([plan for _, plan, _ in self.plans])
        for level in (0, 1):
            rows = [goal for _, goal_level, goal in self._goals if goal_level == level]
            for goal in rows:
                goal.plan_id = goal.plan.pk
                if goal.parent is not None:
                    goal.parent_id = goal.parent.pk
            Goal.objects.bulk_create(rows)
        for goal, action in self._actions:
            action.plan_id = action.plan.pk
            action.goal_id = goal.pk
        PlanAction.objects.bulk_create([action for _, action in self._actions])
        for review, _ in self._reviews:
            review.plan_id = review.plan.pk
        PlanReview.objects.bulk_create([review for review, _ in self._reviews])
        GoalAttainment.objects.bulk_create(
            GoalAttainment(review=review, goal=goal, level=level)
            for review, attained in self._reviews
            for goal, level in attained
        )
        for event in self._events:
            event.plan_id = event.plan.pk
        KvaEvent.objects.bulk_create(self._events)
        AssistiveDevice.objects.bulk_create(self.devices)


def _link_training(training: dict[int, PlanAction]) -> int:
    """Point each person's training template at their prescribed training action, in the
    goal's own words, and give the visits already made from it the same goal."""
    templates = list(
        ServiceTemplate.objects.filter(episode_id__in=training, what=TRAINING_WHAT).order_by("pk")
    )
    for template in templates:
        action = training[template.episode_id]
        template.plan_action = action
        template.goal_text = action.goal.own_words
    ServiceTemplate.objects.bulk_update(templates, ["plan_action", "goal_text"])
    for template in templates:
        Visit.objects.filter(template=template).update(goal_text=template.goal_text)
    return len(templates)

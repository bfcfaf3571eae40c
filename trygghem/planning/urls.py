from django.urls import path

from trygghem.planning import views

urlpatterns = [
    path("planning/<uuid:team_id>/<str:day>/", views.day_plan, name="day_plan"),
    path(
        "planning/<uuid:team_id>/<str:day>/generate/",
        views.generate_visits,
        name="generate_visits",
    ),
    path("planning/<uuid:team_id>/<str:day>/plan/", views.plan_day, name="plan_day"),
    path("planning/runs/<uuid:run_id>/", views.planning_run, name="planning_run"),
    path("planning/<uuid:team_id>/<str:day>/rows/new/", views.add_shift, name="add_shift"),
    path(
        "planning/<uuid:team_id>/<str:day>/morning-meeting/",
        views.morning_meeting,
        name="morning_meeting",
    ),
    path("episodes/<uuid:episode_id>/services/", views.episode_services, name="episode_services"),
    path(
        "episodes/<uuid:episode_id>/services/new/",
        views.create_service_template,
        name="create_service_template",
    ),
    path(
        "plan-actions/<uuid:action_id>/service/",
        views.template_from_training_action,
        name="template_from_training_action",
    ),
    path("visits/<uuid:visit_id>/assign/", views.assign_visit, name="assign_visit"),
    path("visits/<uuid:visit_id>/check/", views.check_assignment, name="check_assignment"),
    path("visits/<uuid:visit_id>/record/", views.record_visit, name="record_visit"),
    path("people/<uuid:person_id>/visits/<str:day>/", views.person_day, name="person_day"),
    path("my-day/", views.my_day, name="my_day"),
    path("delegations/", views.delegations, name="delegations"),
    path("delegations/new/", views.issue_delegation, name="issue_delegation"),
    path(
        "delegations/<uuid:delegation_id>/withdraw/",
        views.withdraw_delegation,
        name="withdraw_delegation",
    ),
]

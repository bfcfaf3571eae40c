from django.urls import path

from trygghem.decisions import views

urlpatterns = [
    path("episodes/<uuid:episode_id>/decision/new/", views.grant_decision, name="grant_decision"),
    path("decisions/<uuid:decision_id>/", views.decision_detail, name="decision_detail"),
    path("decisions/<uuid:decision_id>/adjust/", views.adjust_decision, name="adjust_decision"),
    path("people/<uuid:person_id>/home-care/", views.person_home_care, name="person_home_care"),
    path(
        "people/<uuid:person_id>/home-care/new/",
        views.grant_home_care_decision,
        name="grant_home_care_decision",
    ),
    path(
        "home-care-decisions/<uuid:decision_id>/end/",
        views.end_home_care_decision,
        name="end_home_care_decision",
    ),
    path(
        "home-care-decisions/<uuid:decision_id>/replace/",
        views.replace_home_care_decision,
        name="replace_home_care_decision",
    ),
]

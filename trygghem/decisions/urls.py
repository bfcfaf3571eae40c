from django.urls import path

from trygghem.decisions import views

urlpatterns = [
    path("episodes/<uuid:episode_id>/decision/new/", views.grant_decision, name="grant_decision"),
    path("decisions/<uuid:decision_id>/", views.decision_detail, name="decision_detail"),
    path("decisions/<uuid:decision_id>/adjust/", views.adjust_decision, name="adjust_decision"),
]

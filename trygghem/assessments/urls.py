from django.urls import path

from trygghem.assessments import views

urlpatterns = [
    path(
        "episodes/<uuid:episode_id>/assessments/",
        views.episode_assessments,
        name="episode_assessments",
    ),
    path(
        "episodes/<uuid:episode_id>/assessments/new/",
        views.record_assessment,
        name="record_assessment",
    ),
    path("assessments/<uuid:assessment_id>/", views.assessment_detail, name="assessment_detail"),
]

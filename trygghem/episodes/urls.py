from django.urls import path

from trygghem.episodes import views

urlpatterns = [
    path("episodes/<uuid:episode_id>/", views.episode_detail, name="episode_detail"),
    path("episodes/<uuid:episode_id>/close/", views.close_referral, name="close_referral"),
    path(
        "episodes/<uuid:episode_id>/homecoming/",
        views.register_homecoming,
        name="register_homecoming",
    ),
    path(
        "episodes/<uuid:episode_id>/follow-up/new/", views.record_follow_up, name="record_follow_up"
    ),
    path("episodes/<uuid:episode_id>/end/", views.end_episode, name="end_episode"),
    path("episodes/<uuid:episode_id>/handover/", views.hand_over_episode, name="hand_over_episode"),
    path(
        "episodes/<uuid:episode_id>/implementation-plan.pdf",
        views.implementation_plan_pdf,
        name="implementation_plan_pdf",
    ),
]

from django.urls import path

from trygghem.episodes import views

urlpatterns = [
    path("episodes/<uuid:episode_id>/", views.episode_detail, name="episode_detail"),
]

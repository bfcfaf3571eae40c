from django.urls import path

from trygghem.audit import views

urlpatterns = [
    path("access-log/", views.access_log, name="access_log"),
]

from django.urls import path

from trygghem.worklists import views

urlpatterns = [
    path("", views.home, name="home"),
]

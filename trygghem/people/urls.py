from django.urls import path

from trygghem.people import views

urlpatterns = [
    path("people/<uuid:person_id>/", views.person_detail, name="person_detail"),
]

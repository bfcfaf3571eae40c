from django.urls import path

from trygghem.fees import views

urlpatterns = [
    path("people/<uuid:person_id>/fee-room/", views.record_fee_room, name="record_fee_room"),
]

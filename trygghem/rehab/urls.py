from django.urls import path

from trygghem.rehab import views

urlpatterns = [
    path("episodes/<uuid:episode_id>/rehab/", views.rehab_section, name="rehab_section"),
    path(
        "episodes/<uuid:episode_id>/rehab/new/", views.create_rehab_plan, name="create_rehab_plan"
    ),
    path("rehab-plans/<uuid:plan_id>/", views.rehab_plan_detail, name="rehab_plan_detail"),
    path("rehab-plans/<uuid:plan_id>/edit/", views.edit_rehab_plan, name="edit_rehab_plan"),
    path("rehab-plans/<uuid:plan_id>/goals/new/", views.add_goal, name="add_goal"),
    path("rehab-plans/<uuid:plan_id>/actions/new/", views.add_action, name="add_action"),
    path("rehab-plans/<uuid:plan_id>/review/", views.review_rehab_plan, name="review_rehab_plan"),
    path("rehab-plans/<uuid:plan_id>/close/", views.close_rehab_plan, name="close_rehab_plan"),
    path("rehab-plans/<uuid:plan_id>/plan.pdf", views.rehab_plan_pdf, name="rehab_plan_pdf"),
    path("people/<uuid:person_id>/devices/", views.person_devices, name="person_devices"),
    path("episodes/<uuid:episode_id>/devices/new/", views.register_device, name="register_device"),
    path("devices/<uuid:device_id>/deliver/", views.deliver_device, name="deliver_device"),
    path("devices/<uuid:device_id>/follow-up/", views.follow_up_device, name="follow_up_device"),
    path("devices/<uuid:device_id>/return/", views.return_device, name="return_device"),
]

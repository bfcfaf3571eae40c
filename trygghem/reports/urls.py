from django.urls import path

from trygghem.reports import views

urlpatterns = [
    path("reports/", views.dashboard, name="reports"),
    path("reports/capacity/", views.capacity_planner, name="capacity_planner"),
    path("reports/fees/<str:month>.csv", views.fee_basis, name="fee_basis"),
    path("reports/<slug:figure>.csv", views.export_csv, name="report_csv"),
    path("reports/<slug:figure>.xlsx", views.export_xlsx, name="report_xlsx"),
]

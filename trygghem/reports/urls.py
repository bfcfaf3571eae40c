from django.urls import path

from trygghem.reports import views

urlpatterns = [
    path("reports/", views.dashboard, name="reports"),
    path("reports/outcomes/", views.outcomes, name="report_outcomes"),
    path("reports/comparison/", views.comparison, name="report_comparison"),
    path("reports/economics/", views.economics, name="report_economics"),
    path("reports/capacity/", views.capacity_planner, name="capacity_planner"),
    path("reports/fees/<str:month>.csv", views.fee_basis, name="fee_basis"),
    path("reports/<slug:figure>.csv", views.export_csv, name="report_csv"),
    path("reports/<slug:figure>.xlsx", views.export_xlsx, name="report_xlsx"),
]

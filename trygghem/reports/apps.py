from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "trygghem.reports"
    label = "reports"

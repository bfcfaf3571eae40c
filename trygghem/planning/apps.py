from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "trygghem.planning"
    label = "planning"

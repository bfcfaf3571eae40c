from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "trygghem.staff"
    label = "staff"

from django.apps import AppConfig


class RehabConfig(AppConfig):
    name = "trygghem.rehab"
    label = "rehab"

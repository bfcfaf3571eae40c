from django.apps import AppConfig


class FeesConfig(AppConfig):
    name = "trygghem.fees"
    label = "fees"

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "trygghem.core"
    label = "core"

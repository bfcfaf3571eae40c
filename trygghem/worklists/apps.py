from django.apps import AppConfig


class WorklistsConfig(AppConfig):
    name = "trygghem.worklists"
    label = "worklists"

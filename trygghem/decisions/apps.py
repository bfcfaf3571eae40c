from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "trygghem.decisions"
    label = "decisions"

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "trygghem.assessments"
    label = "assessments"

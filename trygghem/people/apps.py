from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "trygghem.people"
    label = "people"

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "trygghem.demo"
    label = "demo"

from django.apps import AppConfig


class EpisodesConfig(AppConfig):
    name = "trygghem.episodes"
    label = "episodes"

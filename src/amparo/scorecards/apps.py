from django.apps import AppConfig


class ScorecardsConfig(AppConfig):
    name = "amparo.scorecards"
    label = "scorecards"
    verbose_name = "Scorecards"

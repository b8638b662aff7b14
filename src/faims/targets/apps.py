from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "faims.targets"
    label = "targets"

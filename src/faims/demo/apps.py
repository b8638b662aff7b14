from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "faims.demo"
    label = "demo"

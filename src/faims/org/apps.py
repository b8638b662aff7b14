from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "faims.org"
    label = "org"

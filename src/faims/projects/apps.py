from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "faims.projects"
    label = "projects"

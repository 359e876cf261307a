from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    name = "briefings"
    verbose_name = "Guidance content"
    default_auto_field = "django.db.models.BigAutoField"

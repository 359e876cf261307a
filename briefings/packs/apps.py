from django.apps import AppConfig


class PacksConfig(AppConfig):
    name = "briefings.packs"
    label = "packs"
    verbose_name = "Trainer packs"
    default_auto_field = "django.db.models.BigAutoField"

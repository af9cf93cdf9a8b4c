from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "marketplace.core"
    label = "core"
    verbose_name = "Kernel"

    def ready(self) -> None:
        from . import checks, receivers  # noqa: F401  (registers system checks and auth hooks)

from django.apps import AppConfig
from django.core import checks


class WebhooksConfig(AppConfig):
    """Signed webhooks (``webhooks.delivery``). Page events are Wagtail's and connected here; apps
    that have events of their own (comments) connect them in their own ``ready()``."""

    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        from webhooks import delivery, page_events

        page_events.connect()
        checks.register(delivery.check_settings)

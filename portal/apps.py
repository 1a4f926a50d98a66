from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The reader's portal across the domains: the home page, the site search, the sitemap,
    the language switcher. It stands on top of the domain apps, which never import it."""

    name = "portal"
    verbose_name = "Portal"

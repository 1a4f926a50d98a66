from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """Django's admin with the portal's site (neaspec_portal/admin.py) as `admin.site`."""

    default_site = "neaspec_portal.admin.PortalAdminSite"

"""Page-number pagination for the API's lists: `page` and `page_size` (at most
`settings.API_MAX_PAGE_SIZE`); GeoJSON lists come back as a FeatureCollection with the
same paging members."""

from django.conf import settings
from rest_framework.pagination import PageNumberPagination
from rest_framework_gis.pagination import GeoJsonPagination


class PagePagination(PageNumberPagination):
    page_size_query_param = "page_size"

    @property
    def max_page_size(self) -> int:
        return settings.API_MAX_PAGE_SIZE


class FeaturePagination(GeoJsonPagination):
    page_size_query_param = "page_size"

    @property
    def max_page_size(self) -> int:
        return settings.API_MAX_PAGE_SIZE

    def get_paginated_response_schema(self, schema):
        """The page's schema as drf-spectacular needs it: the parent renames `results` to
        `features` but still requires `results`, and `features` is given the schema of a
        whole FeatureCollection (drf-spectacular names it "<Feature>List") rather than an
        array of the Features."""
        paginated = super().get_paginated_response_schema(schema)
        paginated["required"] = ["type", "count", "features"]
        reference = schema.get("$ref", "") if isinstance(schema, dict) else ""
        if reference.endswith("List"):
            paginated["properties"]["features"] = {
                "type": "array",
                "items": {"$ref": reference.removesuffix("List")},
            }
        return paginated

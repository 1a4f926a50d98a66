"""Admin of individual animals and cross-border identities (the matches that form them are
in matches.py).

Individuals are written by the imports; here staff read their detections (first and last,
countries, each detection inline), see them on a map in time order (exact points only where
they may see them), and go from an individual to proposing a match. The autocomplete of a
match's “same animal as” offers every individual, by code and dataset: see matches.py for
how a focal point picks the other side."""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin import ViewOnlyAdminMixin
from common.geojson import feature, feature_collection
from governance.access_log import access_note
from governance.admin import CountryScopedAdminMixin, CountryScopedInlineMixin
from governance.history_admin import HistoryAdmin
from governance.models import AccessKind
from protected_areas.selectors import country_outlines

from ..models import (
    CameraObservation,
    CrossBorderIdentity,
    GeneticSample,
    IdentityMatch,
    Individual,
)
from ..selectors import (
    DetectionSummary,
    identity_detection_summaries,
    individual_detection_summaries,
    movement_tracks,
)
from ..services import (
    PROPOSE_PERMISSION,
)


def _summary_of(obj, summaries_attr="detections") -> DetectionSummary:
    summary = getattr(obj, summaries_attr, None)
    if summary is None:
        summaries = (
            identity_detection_summaries([obj.pk])
            if isinstance(obj, CrossBorderIdentity)
            else individual_detection_summaries([obj.pk])
        )
        summary = summaries.get(obj.pk, DetectionSummary())
        setattr(obj, summaries_attr, summary)
    return summary


def _countries_label(summary: DetectionSummary) -> str:
    return ", ".join(f"{c.iso_a3} ({c.count})" for c in summary.countries) or "—"


class SummaryChangeList(ChangeList):
    """The list's page of animals with their detection summaries: one grouped query for
    the page, whatever its length."""

    def get_results(self, request):
        super().get_results(request)
        ids = [obj.pk for obj in self.result_list]
        if self.model is CrossBorderIdentity:
            summaries = identity_detection_summaries(ids)
        else:
            summaries = individual_detection_summaries(ids)
        for obj in self.result_list:
            obj.detections = summaries.get(obj.pk, DetectionSummary())


class DetectionSummaryMixin:
    def get_changelist(self, request, **kwargs):
        return SummaryChangeList

    @admin.display(description=_("first detection"))
    def first_detection(self, obj):
        return _summary_of(obj).first or "—"

    @admin.display(description=_("last detection"))
    def last_detection(self, obj):
        return _summary_of(obj).last or "—"

    @admin.display(description=_("detections"))
    def detection_count(self, obj):
        return _summary_of(obj).count

    @admin.display(description=_("countries (detections)"))
    def countries(self, obj):
        return _countries_label(_summary_of(obj))


class DetectionInlineMixin(CountryScopedInlineMixin):
    """An individual's detections, read-only (they come from the imports); a focal point
    sees those of its countries."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CameraObservationInline(DetectionInlineMixin, admin.TabularInline):
    model = CameraObservation
    fields = ["observation_id", "event_start", "station", "media", "count", "sex", "occurrence"]
    readonly_fields = fields
    ordering = ["event_start"]
    verbose_name = _("camera detection")
    verbose_name_plural = _("camera detections")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("station__dataset", "media")


class GeneticSampleInline(DetectionInlineMixin, admin.TabularInline):
    model = GeneticSample
    fields = ["sample_id", "collected_on", "sample_type", "genotype_id", "laboratory", "country"]
    readonly_fields = fields
    ordering = ["collected_on"]
    verbose_name = _("genetic detection")
    verbose_name_plural = _("genetic detections")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("country")


def may_see_tracks(user) -> bool:
    return user.has_perm("species.view_exact_location")


@admin.register(Individual)
class IndividualAdmin(DetectionSummaryMixin, CountryScopedAdminMixin, HistoryAdmin):
    list_display = [
        "code",
        "species_name",
        "dataset",
        "first_detection",
        "last_detection",
        "detection_count",
        "countries",
        "identity",
    ]
    # Only the datasets and species of the listed individuals: a focal point's list names
    # no other country's datasets.
    list_filter = [
        ("species", admin.RelatedOnlyFieldListFilter),
        ("dataset", admin.RelatedOnlyFieldListFilter),
        "sex",
        ("identity", admin.EmptyFieldListFilter),
    ]
    search_fields = ["code", "dataset__title", "dataset__identifier", "identity__label"]
    list_select_related = ["species", "dataset", "identity"]
    fields = [
        "dataset",
        "species",
        "code",
        "sex",
        "notes",
        "identity",
        "detection_summary",
        "matches",
        "created",
        "updated",
    ]
    readonly_fields = [
        "dataset",
        "species",
        "code",
        "identity",
        "detection_summary",
        "matches",
        "created",
        "updated",
    ]
    inlines = [CameraObservationInline, GeneticSampleInline]
    change_form_template = "admin/monitoring/individual/change_form.html"
    change_list_template = "admin/monitoring/individual/change_list.html"

    def has_add_permission(self, request):
        # Individuals come from the imported data packages and sample lists.
        return False

    def has_delete_permission(self, request, obj=None):
        # With it would go its matches, rejections included: a re-imported animal could then
        # be proposed again as if never rejected. Individuals go with their dataset.
        return False

    @admin.display(description=_("species"), ordering="species__common_name")
    def species_name(self, obj):
        return obj.species.common_name

    def get_search_results(self, request, queryset, search_term):
        """The autocomplete of a match's “same animal as” offers every individual (by code
        and dataset): a focal point's animal may have been seen across the border."""
        if (
            request.path.endswith("/autocomplete/")
            and request.GET.get("model_name") == "identitymatch"
            and request.GET.get("field_name") == "individual_b"
            and request.user.has_perm(PROPOSE_PERMISSION)
        ):
            queryset = Individual.objects.select_related("dataset", "species")
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("detections by country"))
    def detection_summary(self, obj):
        summary = _summary_of(obj)
        if not summary.countries:
            return _("No detections.")
        return format_html_join(
            "",
            "<div>{}: {} – {}, {}</div>",
            (
                (
                    c.iso_a3,
                    c.first,
                    c.last,
                    ngettext("%(n)s detection", "%(n)s detections", c.count) % {"n": c.count},
                )
                for c in summary.countries
            ),
        )

    @admin.display(description=_("identity matches"))
    def matches(self, obj):
        found = IdentityMatch.objects.filter(Q(individual_a=obj) | Q(individual_b=obj))
        rows = [
            (
                reverse("admin:monitoring_identitymatch_change", args=[m.pk]),
                str(m),
            )
            for m in found.select_related(
                "individual_a__dataset", "individual_b__dataset"
            ).order_by("-proposed_at")
        ]
        listed = format_html_join("", '<div><a href="{}">{}</a></div>', rows) if rows else ""
        add = reverse("admin:monitoring_identitymatch_add") + f"?individual_a={obj.pk}"
        return format_html('{}<div><a href="{}">{}</a></div>', listed, add, _("Propose a match"))

    def get_urls(self):
        return [
            path(
                "movement-map/",
                self.admin_site.admin_view(self.movement_map_view),
                name="monitoring_individual_movement_map",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_see_tracks": may_see_tracks(request.user)}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "may_see_tracks": may_see_tracks(request.user)}
        return super().change_view(request, object_id, form_url, extra_context)

    def movement_map_view(self, request):
        """Each animal's detections joined in time order: those detected in two or more
        countries, or one individual (`?individual=`). Exact points where this user may see
        them (the Secretariat everywhere, a focal point in its countries), the grid node
        elsewhere; only animals it may see."""
        if not (self.has_view_permission(request) and may_see_tracks(request.user)):
            raise PermissionDenied
        individual_id = request.GET.get("individual")
        if individual_id is not None:
            individual = self.get_object(request, individual_id)
            if individual is None:
                raise Http404
            tracks = movement_tracks(user=request.user, individual_ids=[individual.pk])
        else:
            tracks = movement_tracks(user=request.user, crossing_only=True)
        access_note(
            request, kind=AccessKind.EXACT_LOCATIONS, label=str(_("movement map of individuals"))
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Movement of individuals: detections in time order"),
            "tracks": tracks,
            # The member states' outlines under the tracks, for when no tiles are served.
            "outlines": feature_collection(
                feature(outline.geojson, {"label": outline.name})
                for outline in country_outlines(tolerance=0.01, digits=5, members_only=True)
                if outline.geojson
            ),
        }
        return TemplateResponse(request, "admin/monitoring/individual/movement_map.html", context)


@admin.register(CrossBorderIdentity)
class CrossBorderIdentityAdmin(
    DetectionSummaryMixin, CountryScopedAdminMixin, ViewOnlyAdminMixin, HistoryAdmin
):
    """Formed and merged by confirmed matches only: read here, never edited."""

    list_display = [
        "label",
        "species",
        "first_detection",
        "last_detection",
        "detection_count",
        "countries",
    ]
    list_filter = ["species"]
    search_fields = ["label", "individuals__code"]
    list_select_related = ["species"]
    fields = ["species", "label", "members", "detection_summary", "created", "updated"]
    readonly_fields = fields

    @admin.display(description=_("individuals"))
    def members(self, obj):
        return format_html_join(
            "",
            '<div><a href="{}">{}</a></div>',
            (
                (reverse("admin:monitoring_individual_change", args=[i.pk]), str(i))
                for i in obj.individuals.select_related("dataset").order_by("code")
            ),
        )

    detection_summary = IndividualAdmin.detection_summary

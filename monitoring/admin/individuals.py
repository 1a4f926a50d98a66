"""Admin of individual animals, cross-border identities and identity matches.

Individuals are written by the imports; here staff read their detections (first and last,
countries, each detection inline), see them on a map in time order, and propose that two
datasets' individuals are one animal. A match is never edited: it is proposed (the add
form), then confirmed or rejected by someone else with the buttons of its page, or reopened
with a note — each step a service (monitoring.services), recorded in the history.

How a focal point picks the other side: the first individual must be one detected in its
countries; the second is searched among all individuals (the autocomplete of “same animal
as”), shown by code and dataset only — their detections, in another country, stay hidden —
and the proposal is refused unless both are of one species and of different datasets."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from common.admin import ViewOnlyAdminMixin
from governance.access_log import access_note
from governance.admin import CountryScopedAdminMixin, CountryScopedInlineMixin
from governance.history_admin import HistoryAdmin
from governance.models import AccessKind

from ..models import (
    CameraObservation,
    CrossBorderIdentity,
    GeneticSample,
    IdentityMatch,
    Individual,
    MatchStatus,
)
from ..selectors import (
    DetectionSummary,
    identity_detection_summaries,
    individual_detection_summaries,
    individual_media,
    movement_tracks,
)
from ..services import (
    DECIDE_PERMISSION,
    PROPOSE_PERMISSION,
    identity_match_check_proposal,
    identity_match_confirm,
    identity_match_propose,
    identity_match_reject,
    identity_match_reopen,
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
    """The list's page of animals with their detection summaries: two grouped queries for
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
        "species",
        "dataset",
        "first_detection",
        "last_detection",
        "detection_count",
        "countries",
        "identity",
    ]
    list_filter = ["species", "dataset", "sex", ("identity", admin.EmptyFieldListFilter)]
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
                (c.iso_a3, c.first, c.last, _("%(n)s detections") % {"n": c.count})
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


PROPOSAL_FIELDS = ["individual_a", "individual_b", "evidence_kind", "evidence_note"]


class IdentityMatchProposalForm(forms.ModelForm):
    """Propose a match: two individuals, the evidence, and for a photo pair the media ID of
    a photo of each (a Camtrap DP `mediaID` on one of its observations)."""

    media_a = forms.CharField(
        label=_("photo of the individual (media ID)"),
        required=False,
        help_text=_("For a photo pair: the mediaID of a photo showing the first individual."),
    )
    media_b = forms.CharField(
        label=_("photo of the other individual (media ID)"),
        required=False,
        help_text=_("For a photo pair: the mediaID of a photo showing the second individual."),
    )
    user = None  # set by the admin's get_form

    class Meta:
        model = IdentityMatch
        fields = PROPOSAL_FIELDS

    def clean(self):
        cleaned = super().clean()
        individual, other = cleaned.get("individual_a"), cleaned.get("individual_b")
        if individual is None or other is None or not cleaned.get("evidence_kind"):
            return cleaned
        photos = {}
        for name, shown in (("media_a", individual), ("media_b", other)):
            media_id = (cleaned.get(name) or "").strip()
            photos[name] = individual_media(shown, media_id) if media_id else None
            if media_id and photos[name] is None:
                self.add_error(
                    name,
                    _("No media “%(id)s” shows %(code)s: give the ID of a photo of it.")
                    % {"id": media_id, "code": shown.code},
                )
                return cleaned
        self.proposal = {
            "individual": individual,
            "other": other,
            "evidence_kind": cleaned["evidence_kind"],
            "evidence_note": cleaned.get("evidence_note", ""),
            "media": photos["media_a"],
            "other_media": photos["media_b"],
        }
        try:
            identity_match_check_proposal(user=self.user, **self.proposal)
        except PermissionDenied as error:
            raise ValidationError(str(error)) from error
        if individual.pk > other.pk:
            # The stored pair is ordered (a database rule); the service orders it as well.
            cleaned["individual_a"], cleaned["individual_b"] = other, individual
        return cleaned

    def validate_unique(self):
        # A pair already proposed is refused by `clean` with who and when; the generic
        # “already exists” would only repeat it.
        if not self._errors:
            super().validate_unique()


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
    )


DECISION_STEPS = {
    "confirm": (_("Confirm: they are one animal"), identity_match_confirm, MatchStatus.PROPOSED),
    "reject": (_("Reject"), identity_match_reject, MatchStatus.PROPOSED),
    "reopen": (_("Reopen for a new decision"), identity_match_reopen, MatchStatus.REJECTED),
}
STEP_HELP = {
    "confirm": _(
        "The two individuals become one cross-border identity (merged with any identity "
        "either already has). Your name and the time are recorded."
    ),
    "reject": _(
        "Say why. The pair cannot be proposed again; it can only be reopened, with a note."
    ),
    "reopen": _(
        "Say what is new (photos, a genotype). You become the proposer, so another staff "
        "member decides; the rejection stays in the history."
    ),
}


@admin.register(IdentityMatch)
class IdentityMatchAdmin(CountryScopedAdminMixin, HistoryAdmin):
    list_display = [
        "individual_a",
        "individual_b",
        "species",
        "status",
        "evidence_kind",
        "proposed_by",
        "proposed_at",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["status", "evidence_kind", "individual_a__species"]
    search_fields = ["individual_a__code", "individual_b__code", "evidence_note"]
    list_select_related = [
        "individual_a__dataset",
        "individual_b__dataset",
        "individual_a__species",
        "proposed_by",
        "decided_by",
    ]
    autocomplete_fields = ["individual_a", "individual_b"]
    form = IdentityMatchProposalForm
    date_hierarchy = "proposed_at"
    change_form_template = "admin/monitoring/identitymatch/change_form.html"

    @admin.display(description=_("species"), ordering="individual_a__species")
    def species(self, obj):
        return obj.individual_a.species

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_fields(self, request, obj=None):
        if obj is None:
            return [*PROPOSAL_FIELDS, "media_a", "media_b"]
        return [
            "individual_a",
            "individual_b",
            "status",
            "evidence_kind",
            "evidence_note",
            "evidence_media_a",
            "evidence_media_b",
            "proposed_by",
            "proposed_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "individual_b":
            # Any individual may be the other side (see the module's docstring); the
            # service checks the pair.
            kwargs["queryset"] = Individual.objects.all()
            return admin.ModelAdmin.formfield_for_foreignkey(self, db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        # Never edited through a form: decided with the buttons of its page.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A deleted rejection would let its pair return silently.
        return False

    def save_form(self, request, form, change):
        return identity_match_propose(user=request.user, **form.proposal)

    def save_model(self, request, obj, form, change):
        """Saved by the service in `save_form`."""

    def save_related(self, request, form, formsets, change):
        """A match has no related records to save."""

    def get_urls(self):
        return [
            path(
                "<path:object_id>/decide/<slug:step>/",
                self.admin_site.admin_view(self.decision_view),
                name="monitoring_identitymatch_decide",
            ),
            *super().get_urls(),
        ]

    def decision_steps(self, request, obj) -> list[str]:
        """The steps this user may take on this match now."""
        user = request.user
        if obj.status == MatchStatus.PROPOSED:
            if user.has_perm(DECIDE_PERMISSION) and obj.proposed_by_id != user.pk:
                return ["confirm", "reject"]
            return []
        if obj.status == MatchStatus.REJECTED and user.has_perm(PROPOSE_PERMISSION):
            return ["reopen"]
        return []

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if obj is not None:
            extra_context["decision_steps"] = [
                {
                    "label": DECISION_STEPS[step][0],
                    "url": reverse("admin:monitoring_identitymatch_decide", args=[obj.pk, step]),
                    "primary": step == "confirm",
                }
                for step in self.decision_steps(request, obj)
            ]
            extra_context["awaits_other"] = (
                obj.status == MatchStatus.PROPOSED and obj.proposed_by_id == request.user.pk
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def decision_view(self, request, object_id, step):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_permission(request, obj):
            raise Http404
        if step not in DECISION_STEPS:
            raise Http404
        label, service, _status = DECISION_STEPS[step]
        form = DecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                service(user=request.user, match=obj, note=form.cleaned_data["note"])
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
                return redirect("admin:monitoring_identitymatch_change", obj.pk)
            except ValidationError as error:
                if hasattr(error, "error_dict") and "note" in error.error_dict:
                    form.add_error("note", error.error_dict["note"])
                else:
                    self.message_user(request, " ".join(error.messages), messages.ERROR)
                    return redirect("admin:monitoring_identitymatch_change", obj.pk)
            else:
                obj.refresh_from_db()
                self.message_user(
                    request,
                    _("%(match)s: done.") % {"match": obj},
                    messages.SUCCESS,
                )
                return redirect("admin:monitoring_identitymatch_change", obj.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "form": form,
            "step_label": label,
            "step_help": STEP_HELP[step],
            "title": f"{label}: {obj}",
        }
        return TemplateResponse(request, "admin/monitoring/identitymatch/decide.html", context)

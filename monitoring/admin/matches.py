"""Admin of identity matches: a proposal (the add form), then its decision by another staff
member with the buttons of its page (confirm, reject), or a rejected pair reopened with a
note — each step a service (monitoring.services), recorded in the match's history. A match
is never edited through a form, nor deleted (a deleted rejection would let its pair return
silently).

How a focal point picks the other side: the first individual is one detected in its
countries (the autocomplete offers those); the second is searched among all individuals
(the autocomplete of “same animal as”, `IndividualAdmin.get_search_results`), shown by code
and dataset only — their detections, in another country, stay hidden — and the proposal is
refused unless both are of one species and of different datasets."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from governance.admin import CountryScopedAdminMixin
from governance.history_admin import HistoryAdmin

from ..models import IdentityMatch, Individual, MatchStatus
from ..selectors import individual_media
from ..services import (
    DECIDE_PERMISSION,
    PROPOSE_PERMISSION,
    identity_match_check_proposal,
    identity_match_confirm,
    identity_match_propose,
    identity_match_reject,
    identity_match_reopen,
)

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

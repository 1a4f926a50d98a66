"""Counts of a species at a site, repeated over the years: the International Black-faced
Spoonbill Census, the crane counts at Izumi, Cheorwon or Dauria. A series holds the counts of
one species at one site (a protected area of the portal, or a named site in a country).

Models of the species app (species/models.py imports this module); they refer to the other
models of the app by label, so nothing here imports models.py back."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel

FIRST_YEAR, LAST_YEAR = 1800, 2100
# A winter census spans two years: "2023/24" or "2023/2024" (the count falls in the second).
SEASON = re.compile(r"^(?P<first>\d{4})/(?P<second>\d{2}|\d{4})$")


def period_start(period: str) -> datetime.date:
    """The date a count is placed at on a chart: a day (2024-01-15), the first of a month
    (2024-01) or of a year (2024), or for a winter season (2023/24) the 1st of January of its
    second year. Raises ValidationError naming the accepted forms."""
    text = period.strip()
    match = SEASON.match(text)
    try:
        if match:
            first = int(match["first"])
            second = int(match["second"]) if len(match["second"]) == 4 else first // 100 * 100
            if len(match["second"]) == 2:
                second += int(match["second"])
            if second != first + 1:
                raise ValueError
            start = datetime.date(second, 1, 1)
        elif re.fullmatch(r"\d{4}", text):
            start = datetime.date(int(text), 1, 1)
        elif re.fullmatch(r"\d{4}-\d{2}", text):
            start = datetime.date(int(text[:4]), int(text[5:]), 1)
        else:
            start = datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise ValidationError(
            _(
                "“%(value)s” is not a date or season: write 2024-01-15, 2024-01, 2024, or a "
                "winter season as 2023/24."
            )
            % {"value": period},
            code="period",
        ) from exc
    if not FIRST_YEAR <= start.year <= LAST_YEAR:
        raise ValidationError(
            _("“%(value)s” lies outside %(first)s–%(last)s.")
            % {"value": period, "first": FIRST_YEAR, "last": LAST_YEAR},
            code="period_range",
        )
    return start


class CountType(models.TextChoices):
    EXACT = "exact", _("Exact count")
    MINIMUM = "minimum", _("Minimum (at least)")
    ESTIMATE = "estimate", _("Estimate")


class CountSeries(TimeStampedModel):
    species = models.ForeignKey(
        "species.Species",
        on_delete=models.CASCADE,
        related_name="count_series",
        verbose_name=_("species"),
    )
    protected_area = models.ForeignKey(
        "protected_areas.ProtectedArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="count_series",
        verbose_name=_("protected area"),
    )
    site_name = models.CharField(
        _("site"),
        max_length=255,
        blank=True,
        help_text=_("A counting site that is not a protected area of the portal."),
    )
    country = models.ForeignKey(
        "protected_areas.Country",
        on_delete=models.PROTECT,
        related_name="count_series",
        verbose_name=_("country"),
    )

    class Meta:
        verbose_name = _("count series")
        verbose_name_plural = _("count series")
        ordering = ["species", "country", "site_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(protected_area__isnull=False) | ~Q(site_name=""),
                name="countseries_has_site",
                violation_error_message=_("Give the protected area or the site's name."),
            ),
            models.UniqueConstraint(
                fields=["species", "protected_area"],
                condition=Q(protected_area__isnull=False),
                name="countseries_unique_area",
            ),
            models.UniqueConstraint(
                fields=["species", "country", "site_name"],
                condition=Q(protected_area__isnull=True),
                name="countseries_unique_site",
            ),
        ]

    def __str__(self):
        return f"{self.species.common_name} at {self.site_label}"

    @property
    def site_label(self) -> str:
        return self.protected_area.name if self.protected_area_id else self.site_name

    def clean(self):
        if self.protected_area_id is None and not self.site_name.strip():
            raise ValidationError({"site_name": _("Give the protected area or the site's name.")})
        if (
            self.protected_area_id is not None
            and self.country_id is not None
            and self.protected_area.country_id != self.country_id
        ):
            raise ValidationError(
                {
                    "country": _("%(area)s lies in %(country)s.")
                    % {"area": self.protected_area.name, "country": self.protected_area.country}
                }
            )


class SiteCount(TimeStampedModel):
    """One count of a series: a date or a season, the figure and how it was obtained."""

    series = models.ForeignKey(
        CountSeries, on_delete=models.CASCADE, related_name="counts", verbose_name=_("series")
    )
    period = models.CharField(
        _("date or season"),
        max_length=10,
        help_text=_("2024-01-15, 2024-01, 2024, or a winter season as 2023/24."),
    )
    period_start = models.DateField(_("placed at"), editable=False)
    count = models.PositiveIntegerField(_("count"), validators=[MinValueValidator(0)])
    count_type = models.CharField(_("count type"), max_length=10, choices=CountType.choices)
    method = models.CharField(_("method"), max_length=255, blank=True)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    source_citation = models.CharField(_("source"), max_length=500)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("site count")
        verbose_name_plural = _("site counts")
        ordering = ["series", "period_start", "period"]
        constraints = [
            models.UniqueConstraint(fields=["series", "period"], name="sitecount_unique_period"),
        ]

    def __str__(self):
        return f"{self.series}, {self.period}: {self.count:,}"

    def clean_fields(self, exclude=None):
        # `period_start` is derived from `period`: computed before the fields are checked,
        # so that a bad period is reported on `period` rather than as a missing date.
        errors = {}
        exclude = set(exclude or ())
        try:
            self.period_start = period_start(self.period)
        except ValidationError as exc:
            errors["period"] = exc.error_list
            exclude.add("period_start")
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # Derived from `period` on every write path, not only those that call clean().
        self.period_start = period_start(self.period)
        super().save(*args, **kwargs)

"""What an indicator is: a computation over the published records, and how its data is shown.

Each module of this package holds one indicator: a pure function that computes it (for the
tasks, the command and the tests) and a `DashboardIndicator` subclass that names it, says
what it depends on and turns a snapshot's data into tables, charts, headline figures and a
map. Pages, downloads, tasks and the rebuild triggers use only this interface: nothing
outside an indicator's module knows the shape of its data."""

from django.utils.functional import Promise

from ..models import Indicator

Table = tuple[list[str], list[list]]


class DashboardIndicator:
    slug: str
    # Where the figures come from, shown on the page and in the JSON download.
    sources: "str | Promise"
    # The models ("app.Model") whose edits queue a rebuild of this indicator.
    depends_on: tuple[str, ...]

    @property
    def title(self) -> str:
        return str(Indicator(self.slug).label)

    def parameters(self) -> dict:
        """The settings the computation takes; a snapshot is kept per set of parameters."""
        return {}

    def compute(self, **parameters) -> dict:
        """The indicator's data, JSON-ready, computed from the published records."""
        raise NotImplementedError

    def table(self, data: dict) -> Table:
        """The main table: on the page and, in English, the CSV download."""
        raise NotImplementedError

    def charts(self, data: dict) -> list[dict]:
        raise NotImplementedError

    def headline(self, data: dict) -> list[tuple[str, object]]:
        """(label, figure) pairs for the overview's card and the page's history."""
        raise NotImplementedError

    def extra_table(self, data: dict) -> tuple[str, list[str], list[list]] | None:
        """A second table shown under the main one: (caption, headers, rows)."""
        return None

    def map(self, data: dict) -> dict | None:
        """What the page's map draws: {"features": a GeoJSON FeatureCollection,
        "legend": [(swatch class, label), …]}; None for an indicator without a map."""
        return None


def bar_chart(title, labels, datasets, *, stacked=False, horizontal=False, floating=False) -> dict:
    """A bar chart; `floating` bars span [start, end] values (a timeline)."""
    return {
        "type": "bar",
        "title": title,
        "labels": labels,
        "datasets": datasets,
        "stacked": stacked,
        "horizontal": horizontal,
        "floating": floating,
    }


def choice_label(choices, value: str) -> str:
    """A choice's label in the reader's language (snapshots store values and English)."""
    return str(choices(value).label) if value in choices.values else value

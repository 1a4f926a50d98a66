"""The indicators: each a pure function over the published records, returning JSON-ready
data. Tasks, the management command and the admin only call them through the registry."""

from .border import border_protection
from .meetings import meeting_follow_up
from .populations import population_trends
from .portfolio import project_portfolio
from .ranges import range_protection
from .transboundary import transboundary_pairs

__all__ = [
    "border_protection",
    "meeting_follow_up",
    "population_trends",
    "project_portfolio",
    "range_protection",
    "transboundary_pairs",
]

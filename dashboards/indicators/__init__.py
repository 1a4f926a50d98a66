"""The indicators, one module each: a pure function over the published records that returns
JSON-ready data, and the `DashboardIndicator` that shows it. Tasks, the management command,
the admin and the pages reach them through `dashboards.registry`."""

from .base import DashboardIndicator
from .border import BorderProtection, border_protection
from .meetings import MeetingFollowUp, meeting_follow_up
from .movement import TransborderMovement, transborder_movement
from .populations import PopulationTrends, population_trends
from .portfolio import ProjectPortfolio, project_portfolio
from .ranges import RangeProtection, range_protection
from .transboundary import TransboundaryPairs, transboundary_pairs

__all__ = [
    "BorderProtection",
    "DashboardIndicator",
    "MeetingFollowUp",
    "PopulationTrends",
    "ProjectPortfolio",
    "RangeProtection",
    "TransborderMovement",
    "TransboundaryPairs",
    "border_protection",
    "meeting_follow_up",
    "population_trends",
    "project_portfolio",
    "range_protection",
    "transborder_movement",
    "transboundary_pairs",
]

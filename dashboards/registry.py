"""The dashboards' indicators, in the order the overview shows them. Each one, in its module
under `indicators/`, computes its figures and says how they are shown."""

from .indicators import (
    BorderProtection,
    DashboardIndicator,
    MeetingFollowUp,
    PopulationTrends,
    ProjectPortfolio,
    RangeProtection,
    TransborderMovement,
    TransboundaryPairs,
)

INDICATORS: dict[str, DashboardIndicator] = {
    indicator.slug: indicator
    for indicator in (
        TransboundaryPairs(),
        BorderProtection(),
        RangeProtection(),
        PopulationTrends(),
        ProjectPortfolio(),
        MeetingFollowUp(),
        TransborderMovement(),
    )
}

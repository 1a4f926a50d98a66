"""Population estimates and occurrences get their own publication state.

The records that exist were public (their species is published, or they follow it), so
they start published; new records default to draft, like every other publishable record."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

STATES = [
    ("draft", "Draft"),
    ("in_review", "In review"),
    ("published", "Published"),
    ("archived", "Archived"),
    ("deleted", "Deleted"),
]


def publication_state(default: str) -> models.CharField:
    return models.CharField(
        choices=STATES,
        db_index=True,
        default=default,
        max_length=16,
        verbose_name="publication state",
    )


def deleted_by(*, historical: bool) -> models.ForeignKey:
    if historical:
        return models.ForeignKey(
            blank=True,
            db_constraint=False,
            editable=False,
            null=True,
            on_delete=django.db.models.deletion.DO_NOTHING,
            related_name="+",
            to=settings.AUTH_USER_MODEL,
            verbose_name="deleted by",
        )
    return models.ForeignKey(
        blank=True,
        editable=False,
        null=True,
        on_delete=django.db.models.deletion.SET_NULL,
        related_name="+",
        to=settings.AUTH_USER_MODEL,
        verbose_name="deleted by",
    )


def operations() -> list:
    result = []
    for model_name in (
        "occurrence",
        "populationestimate",
        "historicaloccurrence",
        "historicalpopulationestimate",
    ):
        historical = model_name.startswith("historical")
        result += [
            migrations.AddField(
                model_name=model_name,
                name="deleted_at",
                field=models.DateTimeField(
                    blank=True, editable=False, null=True, verbose_name="deleted at"
                ),
            ),
            migrations.AddField(
                model_name=model_name,
                name="deleted_by",
                field=deleted_by(historical=historical),
            ),
            # Existing rows (and their past versions) were public: published.
            migrations.AddField(
                model_name=model_name,
                name="publication_state",
                field=publication_state("published"),
            ),
            # New rows start as drafts.
            migrations.AlterField(
                model_name=model_name,
                name="publication_state",
                field=publication_state("draft"),
            ),
        ]
    return result


class Migration(migrations.Migration):
    dependencies = [
        ("species", "0009_valid_geometry_constraints"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = operations()

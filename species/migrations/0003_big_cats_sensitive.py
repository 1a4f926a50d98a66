"""Databases loaded before `is_sensitive` existed: flag the big cats (camera-trap sites of
tigers and leopards are poaching targets). New databases get the flag from load_neaspec."""

from django.db import migrations

BIG_CATS = ["Panthera tigris altaica", "Panthera pardus orientalis", "Panthera uncia"]


def flag_big_cats(apps, schema_editor):
    species = apps.get_model("species", "Species").objects.using(schema_editor.connection.alias)
    species.filter(scientific_name__in=BIG_CATS).update(is_sensitive=True)


class Migration(migrations.Migration):
    dependencies = [("species", "0002_sensitive_species_review_states_safe_uploads")]

    operations = [migrations.RunPython(flag_big_cats, migrations.RunPython.noop)]

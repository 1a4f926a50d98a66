"""The GeoJSON writer's twin in PostgreSQL: feature collections written by the database, byte
for byte as common/geojson.py writes them.

For a layer of thousands of features the database writes the text faster than Python can
read the rows and format them: the 13,400 protected areas of the whole-region view took
~180 ms read and written in Python, ~160 ms written by PostgreSQL and fetched as one value
(25,000 areas, bench/README.md). Only the layers that carry that many features use it, on
PostGIS; SpatiaLite (`make run`) writes them in Python. tests/maps/test_layer_sql_writer.py
holds the two writers to the same bytes."""

# A string (or null) as JSON: PostgreSQL's `to_json` escapes exactly the characters Python's
# JSON encoder escapes with ensure_ascii off (quote, backslash, and control characters, as
# \b \f \n \r \t or \u00xx in lower case) and leaves every other character as it is.
JSON_TEXT = "coalesce(to_json({})::text, 'null')"


def json_text(column: str) -> str:
    """SQL writing `column` as common.geojson.text writes a Python string."""
    return JSON_TEXT.format(column)


def json_boolean(condition: str) -> str:
    return f"CASE WHEN {condition} THEN 'true' ELSE 'false' END"


def feature_collection_sql(features_sql: str, rows_sql: str, columns: str, order: str) -> str:
    """One query writing the FeatureCollection of `rows_sql`'s rows (named `r`, with
    `columns`), each written by `features_sql`, joined in `order` (an expression of r):
    an aggregate's own ORDER BY, since the order of a sorted subquery read by an aggregate
    is usual, not promised."""
    return (
        """SELECT '{"type":"FeatureCollection","features":[' """
        f"|| coalesce(string_agg({features_sql}, ',' ORDER BY {order}), '') || ']}}' "
        f"FROM ({rows_sql}) AS r({columns})"
    )

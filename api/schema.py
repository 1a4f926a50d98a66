"""The OpenAPI schema's answers to errors, which drf-spectacular leaves out: every
operation lists the 4xx responses it can give, each a JSON object — `{"detail": "…"}`, or
for a refused write or filter the parameters or fields with their messages."""

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        'An error: {"detail": "…"}, or each refused field or parameter with its messages.'
    ),
    "additionalProperties": {
        "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
    },
}
ERROR_DESCRIPTIONS = {
    "400": "A filter value or a field was refused; each is named with its messages.",
    "401": "No token, or an unknown one, with a write.",
    "403": "The token's user may not add this record, or not in that country.",
    "404": "No such published record, or no such page.",
    "406": "The client accepts no JSON.",
    "415": "The body is not JSON.",
    "429": "Too many requests: wait the seconds given in Retry-After.",
}


def _error_codes(method: str, path: str) -> list[str]:
    if method == "post":
        return ["400", "401", "403", "406", "415", "429"]
    if path.endswith("}/"):
        return ["404", "406", "429"]
    return ["400", "404", "406", "429"]


def document_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            for code in _error_codes(method, path):
                operation["responses"].setdefault(
                    code,
                    {
                        "description": ERROR_DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result

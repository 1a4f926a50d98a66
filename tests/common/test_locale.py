"""The compiled catalogues (.mo) are committed next to the .po files, so the portal needs no
gettext at build time. This test fails when a .po file was edited but not recompiled
(`python manage.py compilemessages --ignore=.venv --ignore=node_modules`)."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation import to_locale

LOCALE = Path(settings.BASE_DIR) / "locale"
ENTRY = re.compile(
    r'^(?:msgctxt ((?:".*"\n)+))?msgid ((?:".*"\n)+)(?:msgid_plural (?:".*"\n)+)?'
    r'((?:msgstr(?:\[\d\])? (?:".*"\n?)+)+)',
    re.M,
)


def _joined(text: str) -> str:
    return "".join(ast.literal_eval(s) for s in re.findall(r'".*"', text))


def po_translations(path: Path) -> dict[tuple[str | None, str], list[str]]:
    """{(context, msgid): msgstr forms} of the translated entries."""
    entries = {}
    for match in ENTRY.finditer(path.read_text(encoding="utf-8")):
        context = _joined(match.group(1)) if match.group(1) else None
        msgid = _joined(match.group(2))
        forms = re.split(r"^msgstr(?:\[\d\])? ", match.group(3), flags=re.M)[1:]
        strings = [_joined(f) for f in forms]
        if msgid and all(strings):
            entries[context, msgid] = strings
    return entries


@pytest.mark.parametrize(
    ("domain", "at_least"),
    # django: templates and Python; djangojs: the map's script (served by /<lang>/jsi18n/).
    [("django", 150), ("djangojs", 20)],
)
@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES if code != "en"])
def test_compiled_catalogue_matches_its_po_file(language, domain, at_least):
    directory = LOCALE / to_locale(language) / "LC_MESSAGES"
    catalogue = gettext.GNUTranslations((directory / f"{domain}.mo").open("rb"))
    translations = po_translations(directory / f"{domain}.po")
    assert len(translations) > at_least
    for (context, msgid), strings in translations.items():
        found = catalogue.pgettext(context, msgid) if context else catalogue.gettext(msgid)
        assert found == strings[0] or len(strings) > 1, msgid

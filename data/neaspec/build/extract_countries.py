#!/usr/bin/env python3
"""Build data/neaspec/countries.geojson from Natural Earth admin-0 countries.

Over 400 lines on purpose: a one-off build script, run by hand, that decodes TopoJSON with
no library, and carries the names tables (`NON_MEMBER_NAMES`) beside the code that uses them.

Source: Natural Earth (public domain) admin-0 countries 1:10m, v4.1.0, as
TopoJSON in the npm package ``world-atlas`` 2.0.2 (``countries-10m.json``;
feature ids are ISO 3166-1 numeric codes, properties carry an English ``name``).

What is extracted (see data/neaspec/SCHEMA.md, section countries.geojson):
  * the six NEASPEC member states (is_member = true);
  * every country sharing a land border with a member, found from the
    topology itself (a shared arc) and checked against the explicit table
    below, so a different Natural Earth edition fails loudly instead of
    silently changing the country list;
  * Taiwan, as a separate feature exactly as Natural Earth has it.
Hong Kong (344) and Macao (446) are merged (dissolved) into China (CHN).

Non-members' names in the portal's other languages come from the tables below
(`NON_MEMBER_NAMES`), read from Natural Earth 5.1.1 and Unicode CLDR 48.0 as `NAME_SOURCES`
says; each feature's `names_sources` names the source of each of its names.

Requirements: ``npm`` on PATH (only when --source is not given) and the
project's Python environment (Django with GEOS, i.e. django.contrib.gis).

Usage, from the repository root:
    .venv/bin/python data/neaspec/build/extract_countries.py
    .venv/bin/python data/neaspec/build/extract_countries.py --source /path/to/countries-10m.json
Options: --resolution {10m,50m} (default 10m), --output PATH.
    .venv/bin/python data/neaspec/build/extract_countries.py --names-only
rewrites only the names (and their sources) of the existing output, keeping its geometry:
for a change to the name tables when world-atlas cannot be fetched (e.g. offline).
    .venv/bin/python data/neaspec/build/extract_countries.py --check-cldr
compares the CLDR-sourced names with the ICU of the local Node.js (`node` on PATH).
"""

import argparse
import itertools
import json
import logging
import os
import subprocess
import sys
import tarfile
import tempfile

from django.contrib.gis.geos import MultiPolygon, Polygon

PACKAGE = "world-atlas"
PACKAGE_VERSION = "2.0.2"
PRECISION = 5  # decimal places kept in the output coordinates

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUTPUT = os.path.normpath(os.path.join(HERE, "..", "countries.geojson"))
SCRIPT_REL = "data/neaspec/build/extract_countries.py"

# NEASPEC member states: ISO 3166-1 numeric -> (alpha-3, UN English name, own name).
MEMBERS = {
    "156": ("CHN", "China", "中国"),
    "408": ("PRK", "Democratic People's Republic of Korea", "조선민주주의인민공화국"),
    "392": ("JPN", "Japan", "日本"),
    "496": ("MNG", "Mongolia", "Монгол Улс"),
    "410": ("KOR", "Republic of Korea", "대한민국"),
    "643": ("RUS", "Russian Federation", "Российская Федерация"),
}

# Non-member countries kept: ISO 3166-1 numeric -> alpha-3.
# Land neighbours of the members in Natural Earth 4.1.0, plus Taiwan.
NEIGHBOURS = {
    "004": "AFG",  # Afghanistan        (CHN)
    "031": "AZE",  # Azerbaijan         (RUS)
    "064": "BTN",  # Bhutan             (CHN)
    "104": "MMR",  # Myanmar            (CHN)
    "112": "BLR",  # Belarus            (RUS)
    "233": "EST",  # Estonia            (RUS)
    "246": "FIN",  # Finland            (RUS)
    "268": "GEO",  # Georgia            (RUS)
    "356": "IND",  # India              (CHN)
    "398": "KAZ",  # Kazakhstan         (CHN, RUS)
    "417": "KGZ",  # Kyrgyzstan         (CHN)
    "418": "LAO",  # Laos               (CHN)
    "428": "LVA",  # Latvia             (RUS)
    "440": "LTU",  # Lithuania          (RUS, Kaliningrad)
    "524": "NPL",  # Nepal              (CHN)
    "578": "NOR",  # Norway             (RUS)
    "586": "PAK",  # Pakistan           (CHN)
    "616": "POL",  # Poland             (RUS, Kaliningrad)
    "704": "VNM",  # Viet Nam           (CHN)
    "762": "TJK",  # Tajikistan         (CHN)
    "804": "UKR",  # Ukraine            (RUS)
}
# Not land neighbours: Taiwan (kept separate as in NE) and the Philippines, which hold
# flagship-species range (black-faced spoonbill wintering sites).
EXTRA = {"158": "TWN", "608": "PHL"}

# Non-member countries' names in the portal's other languages (members' names are in
# member_states.json; the English `name` comes from world-atlas). world-atlas carries English
# names only, so these were read from the sources below, one per language (NAME_SOURCES), and
# each feature says which source gave each of its names (`names_sources`).
NE_NAMES = "natural-earth-5.1.1"
CLDR_NAMES = "unicode-cldr-48"
NAME_SOURCES = {
    NE_NAMES: (
        "Natural Earth admin-0 countries 1:110m, version 5.1.1: the attributes NAME_ZH "
        "(Simplified Chinese), NAME_JA, NAME_KO and NAME_RU of "
        "geojson/ne_110m_admin_0_countries.geojson in github.com/nvkelso/natural-earth-vector, "
        "commit 9380cca83db5f9aef52d5e762765100745f84b27 (whose admin-0 README gives version "
        "5.1.1). Its NAME_EN equals the English `name` of every non-member kept here."
    ),
    CLDR_NAMES: (
        "Unicode CLDR 48.0 territory display names (Intl.DisplayNames, type 'region') as "
        "shipped in ICU 78.2 with Node.js 20.20.2: the Mongolian (mn) names, Natural Earth "
        "having no Mongolian column, and Taiwan's Chinese, Japanese and Korean names."
    ),
}
NAME_LANGUAGES = ("zh-hans", "ja", "ko", "mn", "ru")
DEFAULT_NAME_SOURCE = {
    "zh-hans": NE_NAMES,
    "ja": NE_NAMES,
    "ko": NE_NAMES,
    "mn": CLDR_NAMES,
    "ru": NE_NAMES,
}
# Natural Earth names Taiwan 中华民国 / 中華民国 / 중화민국 ("Republic of China") in NAME_ZH,
# NAME_JA and NAME_KO, a designation the portal of a UN ESCAP programme does not use (see
# the Hong Kong and Macao note). Its English `name` is "Taiwan" and its NAME_RU "Тайвань", so
# CLDR's short name for the same territory is used in the three other languages.
NAME_SOURCE_EXCEPTIONS = {"TWN": {"zh-hans": CLDR_NAMES, "ja": CLDR_NAMES, "ko": CLDR_NAMES}}
# Names in NAME_LANGUAGES order: zh-hans, ja, ko, mn, ru.
NON_MEMBER_NAMES = {
    "AFG": ("阿富汗", "アフガニスタン", "아프가니스탄", "Афганистан", "Афганистан"),
    "AZE": ("阿塞拜疆", "アゼルバイジャン", "아제르바이잔", "Азербайжан", "Азербайджан"),
    "BLR": ("白俄罗斯", "ベラルーシ", "벨라루스", "Беларусь", "Белоруссия"),
    "BTN": ("不丹", "ブータン", "부탄", "Бутан", "Бутан"),
    "EST": ("爱沙尼亚", "エストニア", "에스토니아", "Эстони", "Эстония"),
    "FIN": ("芬兰", "フィンランド", "핀란드", "Финланд", "Финляндия"),
    "GEO": ("格鲁吉亚", "ジョージア", "조지아", "Гүрж", "Грузия"),
    "IND": ("印度", "インド", "인도", "Энэтхэг", "Индия"),
    "KAZ": ("哈萨克斯坦", "カザフスタン", "카자흐스탄", "Казахстан", "Казахстан"),
    "KGZ": ("吉尔吉斯斯坦", "キルギス", "키르기스스탄", "Киргиз", "Киргизия"),
    "LAO": ("老挝", "ラオス", "라오스", "Лаос", "Лаос"),
    "LTU": ("立陶宛", "リトアニア", "리투아니아", "Литва", "Литва"),
    "LVA": ("拉脱维亚", "ラトビア", "라트비아", "Латви", "Латвия"),
    "MMR": ("缅甸", "ミャンマー", "미얀마", "Мьянмар", "Мьянма"),
    "NOR": ("挪威", "ノルウェー", "노르웨이", "Норвег", "Норвегия"),
    "NPL": ("尼泊尔", "ネパール", "네팔", "Балба", "Непал"),
    "PAK": ("巴基斯坦", "パキスタン", "파키스탄", "Пакистан", "Пакистан"),
    "PHL": ("菲律宾", "フィリピン", "필리핀", "Филиппин", "Филиппины"),
    "POL": ("波兰", "ポーランド", "폴란드", "Польш", "Польша"),
    "TJK": ("塔吉克斯坦", "タジキスタン", "타지키스탄", "Тажикистан", "Таджикистан"),
    "TWN": ("台湾", "台湾", "대만", "Тайвань", "Тайвань"),
    "UKR": ("乌克兰", "ウクライナ", "우크라이나", "Украин", "Украина"),
    "VNM": ("越南", "ベトナム", "베트남", "Вьетнам", "Вьетнам"),
}
# ISO 3166-1 alpha-2 codes, for checking the CLDR names against a local ICU (--check-cldr).
ALPHA2 = {
    "AFG": "AF", "AZE": "AZ", "BLR": "BY", "BTN": "BT", "EST": "EE", "FIN": "FI", "GEO": "GE",
    "IND": "IN", "KAZ": "KZ", "KGZ": "KG", "LAO": "LA", "LTU": "LT", "LVA": "LV", "MMR": "MM",
    "NOR": "NO", "NPL": "NP", "PAK": "PK", "PHL": "PH", "POL": "PL", "TJK": "TJ", "TWN": "TW",
    "UKR": "UA", "VNM": "VN",
}  # fmt: skip

# Features merged into China (ISO numeric -> alpha-3 of the NE feature).
MERGE_INTO_CHINA = {"344": "HKG", "446": "MAC"}

# Natural Earth features without an ISO code that touch a member; they are
# not countries and are left out (reported when the script runs).
IGNORED_NO_ISO = {"Siachen Glacier"}

NAMES_NOTE = (
    "Member names are the UN English short names; name_local is the country's own "
    "name in its official language (members only); their names in the portal's other "
    "languages are in member_states.json. Non-member names: `name` is Natural Earth's English "
    "name; `names` gives the name in each of the portal's other languages and "
    "`names_sources` the source of each (keys of `name_sources`): Natural Earth 5.1.1 for "
    "Chinese, Japanese, Korean and Russian, Unicode CLDR 48.0 for Mongolian (Natural Earth "
    "has no Mongolian names) and for Taiwan in Chinese, Japanese and Korean (Natural Earth "
    "gives 'Republic of China' there)."
)
NOTES = [
    "Boundaries follow Natural Earth's de facto edition (admin-0 countries, v4.1.0) "
    "and imply no endorsement: the boundaries and names shown and the designations "
    "used do not imply official endorsement or acceptance by the United Nations "
    "(UN map disclaimer).",
    "Examples of Natural Earth's de facto choices kept here: Crimea and the southern "
    "Kuril Islands lie in the Russian Federation feature, Aksai Chin in China, "
    "Arunachal Pradesh in India, Dokdo/Takeshima in the Republic of Korea and the "
    "Senkaku/Diaoyu Islands in Japan; Norway includes Svalbard, Jan Mayen and Bouvet Island.",
    "Hong Kong (ISO 344) and Macao (ISO 446), separate features in Natural Earth, are "
    "merged (dissolved) into China (CHN), as the United Nations treats them as part of China.",
    "Taiwan (TWN) is kept as a separate, non-member feature as in Natural Earth.",
    "Included: the six NEASPEC member states (is_member true), every country sharing "
    "a land border with a member in Natural Earth (derived from the shared boundaries "
    "of the topology), Taiwan, and the Philippines (range of the black-faced "
    "spoonbill). The Natural Earth 'Siachen Glacier' feature (no ISO "
    "code, India/Pakistan dispute, touching China) is not a country and is left out.",
    NAMES_NOTE,
    "Geometry: MultiPolygon, WGS 84 longitude/latitude, coordinates rounded to 5 "
    "decimal places, exterior rings counter-clockwise (RFC 7946). Russia's Chukotka, "
    "which crosses the antimeridian, is split at 180 degrees as in world-atlas; all "
    "longitudes lie within -180..180.",
]


def fetch_topology(resolution):
    """Download world-atlas with `npm pack` into a temp dir and load the TopoJSON."""
    with tempfile.TemporaryDirectory(prefix="world-atlas-") as tmp:
        spec = f"{PACKAGE}@{PACKAGE_VERSION}"
        out = subprocess.run(
            ["npm", "pack", spec, "--silent"],
            cwd=tmp,
            check=True,
            capture_output=True,
            text=True,
        )
        tgz = os.path.join(tmp, out.stdout.strip().splitlines()[-1])
        with tarfile.open(tgz) as tar:
            member = tar.extractfile(f"package/countries-{resolution}.json")
            return json.load(member), f"npm pack {spec} (package/countries-{resolution}.json)"


def decode_arcs(topology):
    """Absolute, rounded lon/lat coordinates of every arc (delta + quantization decoded)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        pts = []
        x = y = 0
        for pos in arc:
            if transform:
                x += pos[0]
                y += pos[1]
                lon = x * transform["scale"][0] + transform["translate"][0]
                lat = y * transform["scale"][1] + transform["translate"][1]
            else:
                lon, lat = pos[0], pos[1]
            pts.append((round(lon, PRECISION), round(lat, PRECISION)))
        arcs.append(pts)
    return arcs


def ring_coords(arc_indexes, arcs):
    """Stitch a TopoJSON ring (list of arc indexes, ~i = reversed) into coordinates."""
    coords = []
    for i in arc_indexes:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        for p in pts if not coords else pts[1:]:
            if not coords or coords[-1] != p:
                coords.append(p)
    return coords


def fix_antimeridian(coords):
    """Put points lying on the antimeridian on the ring's own side of it.

    world-atlas cuts Russia's Chukotka at 180 degrees, but the quantized topology
    shares the cut line between both sides, so a ring east of 180 W can carry a
    few points at +180 and a ring west of 180 E a few at -180, which draws a
    bogus line across the whole map. Returns the fixed ring and the number of
    points moved.
    """
    inner = [x for x, _ in coords if abs(x) != 180]
    if not inner:
        return coords, 0
    side = 180.0 if sum(1 for x in inner if x > 0) * 2 >= len(inner) else -180.0
    moved = sum(1 for x, _ in coords if abs(x) == 180 and x != side)
    if not moved:
        return coords, 0
    fixed = []
    for x, y in coords:
        p = (side, y) if abs(x) == 180 else (x, y)
        if not fixed or fixed[-1] != p:
            fixed.append(p)
    return fixed, moved


def signed_area(coords):
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(coords)) / 2.0


def oriented(coords, ccw):
    a = signed_area(coords)
    return coords if (a > 0) == ccw else coords[::-1]


def geometry_polygons(geom, arcs, dropped, antimeridian):
    """TopoJSON Polygon/MultiPolygon -> list of GEOS Polygons (degenerate rings dropped)."""
    if geom["type"] == "Polygon":
        polys = [geom["arcs"]]
    elif geom["type"] == "MultiPolygon":
        polys = geom["arcs"]
    else:
        raise ValueError(f"unexpected geometry type {geom['type']}")
    out = []
    for rings in polys:
        coords = []
        for r in rings:
            c, moved = fix_antimeridian(ring_coords(r, arcs))
            if moved:
                antimeridian.append(f"{geom.get('id')}: {moved} point(s)")
            coords.append(c)
        good = []
        for k, c in enumerate(coords):
            if len(c) < 4 or signed_area(c) == 0:
                dropped.append(f"ISO {geom.get('id')} ring of {len(c)} points")
                if k == 0:  # exterior collapsed: drop the whole polygon
                    good = []
                    break
                continue
            good.append(oriented(c, ccw=(k == 0)))
        if good:
            out.append(Polygon(*good, srid=4326))
    return out


def shared_arc_neighbours(geometries, member_ids):
    """Features sharing at least one arc (a land boundary) with a member."""

    def arc_set(g):
        s = set()
        stack = [g.get("arcs", [])]
        while stack:
            a = stack.pop()
            if isinstance(a, int):
                s.add(a if a >= 0 else ~a)
            else:
                stack.extend(a)
        return s

    sets = [arc_set(g) for g in geometries]
    member_arcs = set()
    for g, s in zip(geometries, sets, strict=False):
        if g.get("id") in member_ids:
            member_arcs |= s
    return [
        g
        for g, s in zip(geometries, sets, strict=False)
        if g.get("id") not in member_ids and s & member_arcs
    ]


def round_geom(geom):
    """Round every coordinate of a GEOS (Multi)Polygon to PRECISION decimals."""

    def rnd(ring):
        return [(round(x, PRECISION), round(y, PRECISION)) for x, y in ring]

    polys = [geom] if geom.geom_type == "Polygon" else list(geom)
    return [Polygon(*[rnd(r.coords) for r in p], srid=4326) for p in polys]


def to_multipolygon(polys):
    return MultiPolygon(*polys, srid=4326)


def polygons_of(geom):
    """All Polygons in a geometry (collections flattened; lines and points ignored)."""
    if geom.geom_type == "Polygon":
        return [geom] if not geom.empty else []
    if geom.geom_type in ("MultiPolygon", "GeometryCollection"):
        return [p for g in geom for p in polygons_of(g)]
    return []


def repaired(polys, iso, fixes):
    """A valid MultiPolygon from a list of Polygons; any repair is logged in `fixes`.

    The quantized world-atlas topology has some self-intersecting rings and a few
    overlapping parts. Invalid polygons are repaired with GEOS make_valid (which
    keeps all of the area), then all parts are dissolved (unary union) and the
    coordinates rounded again; buffer(0) is only a last resort.
    """
    mp = to_multipolygon(polys)
    if mp.valid:
        return mp
    bad = [p for p in polys if not p.valid]
    area_before = sum(p.area for p in polys)
    for _attempt in range(5):
        pieces = [q for p in polys for q in (polygons_of(p.make_valid()) if not p.valid else [p])]
        union = to_multipolygon(pieces).unary_union
        polys = round_geom(to_multipolygon(polygons_of(union)))
        mp = to_multipolygon(polys)
        if mp.valid:
            break
    else:
        mp = to_multipolygon(round_geom(to_multipolygon(polygons_of(mp.buffer(0)))))
        fixes.append(f"{iso}: buffer(0) needed after make_valid")
    if not mp.valid:
        raise SystemExit(f"{iso}: geometry still invalid: {mp.valid_reason}")
    change = (mp.area - area_before) / area_before * 100 if area_before else 0.0
    what = []
    if bad:
        what.append(f"{len(bad)} self-intersecting polygon(s) repaired with make_valid")
    if len(polygons_of(to_multipolygon(pieces))) != mp.num_geom or not bad:
        what.append("overlapping/touching parts dissolved (unary union)")
    fixes.append(f"{iso}: " + ", ".join(what) + f" (planar area change {change:+.4f}%)")
    return mp


def geojson_polygons(mp):
    """GeoJSON coordinates of a MultiPolygon, exterior CCW and holes CW."""
    out = []
    for p in mp:
        rings = [list(r.coords) for r in p]
        out.append([[[x, y] for x, y in oriented(r, ccw=(k == 0))] for k, r in enumerate(rings)])
    return out


def name_sources(a3):
    """The source (a NAME_SOURCES key) of a non-member's name in each language."""
    sources = {**DEFAULT_NAME_SOURCE, **NAME_SOURCE_EXCEPTIONS.get(a3, {})}
    return {language: sources[language] for language in NAME_LANGUAGES}


def country_properties(a3, name, name_local, is_member):
    """A feature's properties; a non-member's names and their sources come from the tables."""
    props = {"iso_a3": a3, "name": name, "name_local": name_local, "is_member": is_member}
    if a3 in NON_MEMBER_NAMES:
        props["names"] = dict(zip(NAME_LANGUAGES, NON_MEMBER_NAMES[a3], strict=True))
        props["names_sources"] = name_sources(a3)
    return props


def write_collection(metadata, features, path):
    """One feature per line: compact but still readable in diffs."""

    def dump(o):
        return json.dumps(o, ensure_ascii=False, separators=(",", ":"))

    lines = [
        '{"type":"FeatureCollection",',
        '"metadata":' + json.dumps(metadata, ensure_ascii=False, indent=1) + ",",
        '"features":[',
    ]
    lines += [dump(f) + ("," if i < len(features) - 1 else "") for i, f in enumerate(features)]
    lines.append("]}")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def rewrite_names(path):
    """Refresh the names, their sources and the names note of an existing output, leaving
    every geometry and the other metadata as they are (the result is what a full run with
    the same world-atlas source writes)."""
    with open(path, encoding="utf-8") as f:
        collection = json.load(f)
    metadata = collection["metadata"]
    notes = metadata["notes"]
    at = [i for i, note in enumerate(notes) if note.startswith("Member names are")]
    if len(at) != 1:
        raise SystemExit(f"{path}: expected one names note in the metadata, found {len(at)}")
    notes[at[0]] = NAMES_NOTE
    metadata["name_sources"] = NAME_SOURCES
    for feature in collection["features"]:
        p = feature["properties"]
        feature["properties"] = country_properties(
            p["iso_a3"], p["name"], p["name_local"], p["is_member"]
        )
    missing = set(NON_MEMBER_NAMES) - {f["properties"]["iso_a3"] for f in collection["features"]}
    if missing:
        raise SystemExit(f"{path}: no feature for {sorted(missing)}")
    write_collection(metadata, collection["features"], path)
    print(f"rewrote the names of {len(NON_MEMBER_NAMES)} non-member countries in {path}")


def check_cldr_names():
    """Compare the CLDR-sourced names with the ICU of the local Node.js (exit 1 on a
    difference), so that a newer CLDR is noticed before NAME_SOURCES is updated."""
    wanted = [
        (a3, language, NON_MEMBER_NAMES[a3][NAME_LANGUAGES.index(language)])
        for a3 in NON_MEMBER_NAMES
        for language, source in name_sources(a3).items()
        if source == CLDR_NAMES
    ]
    script = (
        "const q = JSON.parse(process.argv[1]);"
        "const out = q.map(([code, lang]) => new Intl.DisplayNames([lang], {type: 'region'})"
        ".of(code));"
        "console.log(JSON.stringify({cldr: process.versions.cldr, icu: process.versions.icu, "
        "names: out}));"
    )
    query = [[ALPHA2[a3], "zh-Hans" if lang == "zh-hans" else lang] for a3, lang, _ in wanted]
    out = subprocess.run(
        ["node", "-e", script, json.dumps(query)], check=True, capture_output=True, text=True
    )
    result = json.loads(out.stdout)
    print(f"Node.js ICU {result['icu']}, CLDR {result['cldr']}")
    differ = [
        f"{a3} {lang}: table {name!r}, CLDR {got!r}"
        for (a3, lang, name), got in zip(wanted, result["names"], strict=True)
        if got != name
    ]
    for line in differ:
        print(f"differs: {line}")
    if differ:
        raise SystemExit(1)
    print(f"all {len(wanted)} CLDR names agree")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", help="existing countries-*.json (skips npm pack)")
    ap.add_argument("--resolution", choices=["10m", "50m"], default="10m")
    ap.add_argument("--output", default=DEFAULT_OUTPUT)
    ap.add_argument(
        "--names-only",
        action="store_true",
        help="only refresh the names of the existing --output (no geometry is extracted)",
    )
    ap.add_argument(
        "--check-cldr",
        action="store_true",
        help="compare the CLDR-sourced names with the local Node.js ICU and exit",
    )
    args = ap.parse_args()
    if args.check_cldr:
        check_cldr_names()
        return
    if args.names_only:
        rewrite_names(args.output)
        return
    # GEOS reports every self-intersection it finds while checking validity as a
    # notice; repairs are summarised below instead.
    logging.getLogger("django.contrib.gis").setLevel(logging.ERROR)

    if args.source:
        with open(args.source, encoding="utf-8") as f:
            topology = json.load(f)
        fetched = args.source
    else:
        topology, fetched = fetch_topology(args.resolution)
    print(f"source: {fetched}")

    geometries = topology["objects"]["countries"]["geometries"]
    by_id = {}
    for g in geometries:
        if g.get("id") is not None:
            by_id.setdefault(g["id"], []).append(g)

    # Check the neighbour table against the topology.
    found = shared_arc_neighbours(geometries, set(MEMBERS) | set(MERGE_INTO_CHINA))
    found_ids = {g["id"] for g in found if g.get("id") is not None}
    found_no_iso = {g["properties"]["name"] for g in found if g.get("id") is None}
    if found_ids != set(NEIGHBOURS) or found_no_iso - IGNORED_NO_ISO:
        raise SystemExit(
            "land neighbours in the source differ from the NEIGHBOURS table: "
            f"missing {sorted(found_ids - set(NEIGHBOURS))}, "
            f"extra {sorted(set(NEIGHBOURS) - found_ids)}, "
            f"no-ISO {sorted(found_no_iso - IGNORED_NO_ISO)}"
        )
    for name in sorted(found_no_iso):
        print(f"skipped (no ISO code, not a country): {name}")

    arcs = decode_arcs(topology)
    dropped, fixes, antimeridian = [], [], []

    def polys_for(num):
        feats = by_id.get(num)
        if not feats or len(feats) != 1:
            raise SystemExit(f"expected one feature with id {num}, found {len(feats or [])}")
        return feats[0], geometry_polygons(feats[0], arcs, dropped, antimeridian)

    wanted = list(MEMBERS.items()) + [
        (num, (a3, None, None))
        for num, a3 in sorted({**NEIGHBOURS, **EXTRA}.items(), key=lambda kv: kv[1])
    ]
    features = []
    for num, (a3, un_name, local) in wanted:
        feat, polys = polys_for(num)
        mp = repaired(polys, a3, fixes)
        if a3 == "CHN":
            parts = list(mp)
            for extra_num, extra_a3 in MERGE_INTO_CHINA.items():
                _, extra_polys = polys_for(extra_num)
                parts += list(repaired(extra_polys, extra_a3, fixes))
            # Dissolve the shared CHN/HKG/MAC boundaries (identical shared arcs).
            merged = to_multipolygon(parts).unary_union
            mp = repaired(round_geom(to_multipolygon(polygons_of(merged))), a3, fixes)
        minx, miny, maxx, maxy = mp.extent
        if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
            raise SystemExit(f"{a3}: coordinates outside lon/lat range: {mp.extent}")
        for k, p in enumerate(mp):
            if not p.valid:
                raise SystemExit(f"{a3}: polygon {k} invalid: {p.valid_reason}")
        features.append(
            {
                "type": "Feature",
                "properties": country_properties(
                    a3, un_name or feat["properties"]["name"], local, num in MEMBERS
                ),
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": geojson_polygons(mp),
                },
            }
        )

    notes = list(NOTES)
    if args.resolution != "10m":
        notes.append(
            f"Natural Earth 1:{args.resolution[:-1]}m used instead of 1:10m to keep the file small."
        )
    if antimeridian:
        notes.append(
            "Antimeridian: in the quantized topology some points of rings "
            "cut at 180 degrees were stored with the wrong sign (-180 instead of 180 "
            "or the reverse); they were moved to the ring's own side ("
            + "; ".join(antimeridian)
            + "), so no polygon spans the whole map."
        )
    if fixes:
        notes.append(
            "Geometry repairs (invalid rings and overlapping parts are artefacts "
            "of world-atlas quantization; GEOS make_valid, no buffer(0) unless "
            "stated): " + "; ".join(fixes) + "."
        )
    if dropped:
        notes.append(
            f"{len(dropped)} degenerate ring(s) (fewer than 4 points or zero "
            "area after quantization) dropped: " + ", ".join(dropped) + "."
        )
    scale = "1:10m" if args.resolution == "10m" else "1:50m"
    metadata = {
        "source": f"Natural Earth admin-0 countries {scale}, via npm {PACKAGE} {PACKAGE_VERSION}",
        "version": "Natural Earth 4.1.0",
        "licence": "Public domain (Natural Earth terms of use)",
        "url": "https://www.naturalearthdata.com/",
        "extracted_with": f"{SCRIPT_REL} (run from the repository root: "
        f".venv/bin/python {SCRIPT_REL}"
        + ("" if args.resolution == "10m" else f" --resolution {args.resolution}")
        + f"; fetches countries-{args.resolution}.json with "
        f"`npm pack {PACKAGE}@{PACKAGE_VERSION}`)",
        "notes": notes,
        "name_sources": NAME_SOURCES,
    }
    write_collection(metadata, features, args.output)

    size = os.path.getsize(args.output)
    print(f"wrote {args.output} ({size / 1e6:.2f} MB, {len(features)} features)")
    for f in features:
        p = f["properties"]
        n = len(f["geometry"]["coordinates"])
        print(
            f"  {p['iso_a3']}  {'member ' if p['is_member'] else '       '} "
            f"{n:4d} polygon(s)  {p['name']}"
        )
    for msg in antimeridian:
        print(f"antimeridian: moved to the ring's side of 180 degrees: {msg}")
    for msg in fixes:
        print(f"repair: {msg}")
    if dropped:
        print(f"dropped {len(dropped)} degenerate ring(s): {', '.join(dropped)}")
    if size > 10e6 and args.resolution == "10m":
        print("WARNING: output over 10 MB; consider --resolution 50m", file=sys.stderr)


if __name__ == "__main__":
    main()

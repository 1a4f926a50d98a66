"""A reader's journey through the public pages in Debian's chromium, with an axe-core
accessibility scan (axe-core from the npm registry, injected from node_modules)."""

from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def serious_accessibility_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_reader_goes_home_project_species_area_map_switching_language(
    page, live_server, neaspec_dataset, screenshot, external_requests
):
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Nature conservation across North-East Asia's borders"
    page.locator("#home-map ~ .minimap__canvas path.leaflet-interactive").first.wait_for()
    screenshot("public-home-desktop", full_page=True)

    page.get_by_role("link", name="Transboundary cooperation on the conservation").first.click()
    page.wait_for_url("**/projects/transboundary-big-cats-2020-2023/")
    assert "Completed" in page.locator(".record__facts").inner_text()

    # Switching language keeps the reader on the same project.
    page.get_by_role("navigation", name="Language").get_by_role("link", name="日本語").click()
    page.wait_for_url("**/ja/projects/transboundary-big-cats-2020-2023/")
    assert page.locator("html").get_attribute("lang") == "ja"
    assert "完了" in page.locator(".record__facts").inner_text()
    screenshot("public-project-ja", full_page=True)

    page.locator(".record__facts").get_by_role("link", name="アムールトラ").click()
    page.wait_for_url("**/ja/species/amur-tiger/")
    assert page.locator("h1").inner_text().startswith("アムールトラ")
    assert page.locator("table tbody tr").count() >= 3
    screenshot("public-species-ja", full_page=True)

    page.get_by_role("navigation", name="言語").get_by_role("link", name="Русский").click()
    page.wait_for_url("**/ru/species/amur-tiger/")
    assert page.locator("h1").inner_text().startswith("Амурский тигр")
    page.get_by_role("link", name="Northeast China Tiger and Leopard National Park").first.click()
    page.wait_for_url("**/ru/protected-areas/*/")
    assert "Партнёры по ту сторону границы" in page.content()
    # The partner across the border is named in Russian, as the dataset gives it.
    assert page.get_by_role("link", name="Национальный парк «Земля леопарда»").count() >= 1
    screenshot("public-protected-area-ru", full_page=True)

    page.get_by_role("link", name="Открыть полную карту").click()
    page.wait_for_url("**/map/")
    assert external_requests == []


@pytest.mark.bypass_csp  # axe-core is injected as an inline script
@pytest.mark.usefixtures("neaspec_dataset")
@pytest.mark.parametrize("width", [1280, 360])
def test_public_pages_pass_an_axe_scan_and_fit_the_screen(
    page, live_server, screenshot, width, external_requests
):
    from protected_areas.models import ProtectedArea  # noqa: PLC0415

    page.set_viewport_size({"width": width, "height": 900})
    point_only = ProtectedArea.objects.get(
        name="Northeast China Tiger and Leopard National Park", boundary=None
    )
    paths = {
        "home": "/",
        "projects": "/projects/",
        "project": "/projects/habitats-key-migratory-birds-2014-2016/",
        "species-list": "/species/",
        "species": "/ja/species/amur-leopard/",
        "species-ru": "/ru/species/amur-leopard/",
        "species-zh": "/zh-hans/species/amur-leopard/",
        "protected-areas": "/protected-areas/?country=RUS",
        "protected-area": "/protected-areas/",
        "protected-area-point-only": "/ru" + point_only.get_absolute_url(),
        "map": "/map/",
        "map-ru": "/ru/map/",
        "meetings": "/meetings/",
        "meeting": "/meetings/workshop-incheon-2024/",
        "search": "/ko/search/?q=crane",
        "search-empty": "/search/?q=narwhal",
        "not-found": "/mn/projects/no-such-project/",
        "documents": "/documents/",
        "documents-filtered": "/ru/documents/?kind=workshop&language=en",
        "sitemap": "/zh-hans/sitemap/",
    }
    for name, path in paths.items():
        page.goto(f"{live_server.url}{path}")
        if name == "protected-area":
            page.locator("table a").first.click()
            page.wait_for_url("**/protected-areas/*/")
        if name.startswith("map"):
            page.locator(
                "#map[data-loaded-protected-areas], #map[data-tiles-protected-areas]"
            ).wait_for(state="attached")
        assert serious_accessibility_violations(page) == [], f"{name} ({path})"
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} is wider than a {width} px screen"
        screenshot(f"public-{name}-{width}", full_page=True)
    assert external_requests == []


def test_a_point_only_area_s_map_tells_its_point_from_its_partner_s(
    page, live_server, neaspec_dataset
):
    from protected_areas.models import ProtectedArea  # noqa: PLC0415

    area = ProtectedArea.objects.get(name="Northeast China Tiger and Leopard National Park")
    assert area.boundary is None
    page.goto(f"{live_server.url}/ru{area.get_absolute_url()}")
    # The points (white-rimmed), not the country outlines under them.
    points = page.locator("[data-minimap=area-map] path.leaflet-interactive[stroke='#ffffff']")
    points.first.wait_for()
    fills = sorted(points.evaluate_all("paths => paths.map((p) => p.getAttribute('fill'))"))
    # This area's point in the page's green, its partner across the border in orange.
    assert fills == ["#0b6e4f", "#b34700"]
    assert page.get_by_role("link", name="Открыть полную карту").get_attribute("href") == "/ru/map/"


def test_on_a_phone_a_species_tables_read_as_cards_without_sideways_scrolling(
    page, live_server, neaspec_dataset, screenshot
):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/ru/species/amur-leopard/")
    for region in page.locator(".table-scroll").all():
        assert region.evaluate("r => r.scrollWidth <= r.clientWidth"), "the table scrolls sideways"
    # Each value under its column's name, in the page's language.
    first = page.locator(".records-table tbody tr").first.locator("td").first
    assert first.evaluate("td => getComputedStyle(td, '::before').content") == '"Дата"'
    screenshot("public-species-ru-phone-records", target=page.locator(".records-table"))


def test_printed_pages_hide_navigation(page, live_server, neaspec_dataset):
    page.goto(f"{live_server.url}/species/amur-tiger/")
    page.emulate_media(media="print")
    assert not page.locator(".main-nav").is_visible()
    assert not page.locator(".language-switcher").is_visible()
    assert page.locator("table").first.is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    # The citation prints; a source link prints its address after it.
    assert page.locator(".citation").is_visible()
    source = page.locator(".record .source a[href^='http']").first
    after = source.evaluate("a => getComputedStyle(a, '::after').content")
    assert source.get_attribute("href") in after


def test_admin_edits_translations_in_a_tab_per_language(staff_page, live_server, neaspec_dataset):
    from species.models import Species  # noqa: PLC0415

    tiger = Species.objects.get(slug="amur-tiger")
    page = staff_page
    page.goto(f"{live_server.url}/admin/species/species/{tiger.pk}/change/")
    tabs = page.locator(".ui-tabs-nav").first.locator("li")
    assert tabs.count() == 6
    assert page.locator("#id_common_name_ja").is_hidden()
    tabs.filter(has_text="ja").first.locator("a").click()
    assert page.locator("#id_common_name_ja").is_visible()
    assert page.locator("#id_common_name_ja").input_value() == "アムールトラ"

"""A person's walk through the served pages in a real browser (Debian's headless Chromium via
chromedriver): home -> search "lao cai" -> Lào Cai -> one of its commitments -> its sentence
highlighted in the article. Checks the text a person sees and saves screenshots.

Set COOPKG_SCREENSHOT_DIR to keep the screenshots (the README's come from here)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_helpers import ROOT, coopkg
from servers import coopkg_serve, free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

pytestmark = [
    pytest.mark.server,
    pytest.mark.slow,
    pytest.mark.skipif(
        not (Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()),
        reason="no chromium + chromedriver (apt-get install chromium chromium-driver)",
    ),
]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    cache = tmp_path_factory.mktemp("browser-serve")
    with coopkg_serve("--cache-dir", str(cache), home=ROOT) as served:
        yield served.url


@pytest.fixture
def browser(tmp_path):
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium (the test extra)")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1000,1300",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def test_walk_from_search_to_the_highlighted_sentence(base, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as when
    from selenium.webdriver.support.ui import WebDriverWait

    def wait_for(css: str):
        return WebDriverWait(browser, 15).until(
            when.presence_of_element_located((By.CSS_SELECTOR, css))
        )

    shots = Path(os.environ.get("COOPKG_SCREENSHOT_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    browser.get(base + "/")
    assert "Ai cam kết gì" in browser.find_element(By.TAG_NAME, "body").text
    box = browser.find_element(By.CSS_SELECTOR, "form.search input[name=q]")
    box.send_keys("lao cai")
    box.submit()
    wait_for("#hits a")
    hits = browser.find_elements(By.CSS_SELECTOR, "#hits a")
    assert hits and hits[0].text == "Lào Cai"
    hits[0].click()
    wait_for("#referenced-by")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Lào Cai"
    assert browser.current_url.endswith("/doc/lao-cai.html")
    assert "Được nhắc đến bởi" in browser.find_element(By.TAG_NAME, "body").text
    browser.save_screenshot(str(shots / "entity-lao-cai.png"))

    link = browser.find_element(
        By.CSS_SELECTOR, '#referenced-by a[href="/doc/commitment-energy-saving-centre.html"]'
    )
    link.click()
    sentence = wait_for("#commitment-sentence").text
    assert sentence.startswith("Hà Nội cam kết với Lào Cai:"), sentence
    evidence = browser.find_element(By.ID, "evidence")
    marked = " ".join(m.text for m in evidence.find_elements(By.TAG_NAME, "mark"))
    assert "Trung tâm tiết kiệm và sử dụng năng lượng hiệu quả" in marked
    browser.save_screenshot(str(shots / "commitment-page.png"))

    evidence.find_element(By.CSS_SELECTOR, "a.in-article").click()
    wait_for("#article")
    assert "/doc/source-article.html#span-" in browser.current_url
    anchor = browser.current_url.rsplit("#", 1)[1]
    target = browser.find_element(By.CSS_SELECTOR, f"span[id='{anchor}'] + mark")
    assert target.is_displayed()
    assert target.text and target.text in marked  # one of the commitment's quoted pieces
    background = target.value_of_css_property("background-color")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # highlighted
    # the highlighted words are on screen after following the link
    top = browser.execute_script("return arguments[0].getBoundingClientRect().top", target)
    assert -5 <= top < browser.execute_script("return window.innerHeight")
    browser.save_screenshot(str(shots / "article-evidence.png"))


@pytest.fixture(scope="module")
def static_site(tmp_path_factory):
    """`coopkg site` served by Python's http.server on loopback (any static host would do)."""
    out = tmp_path_factory.mktemp("static") / "site"
    built = coopkg("site", "--out", str(out), home=ROOT)
    assert built.code == 0, built.err
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
        + ["--directory", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                pytest.fail("http.server did not start")
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=10)


def test_the_static_site_searches_without_a_server(static_site, browser):
    """The static search page folds diacritics in the browser (JavaScript over the index)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as when
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(static_site + "/index.en.html")
    box = browser.find_element(By.CSS_SELECTOR, "form.search input[name=q]")
    box.send_keys("hoang trung hai")
    box.submit()
    WebDriverWait(browser, 15).until(when.presence_of_element_located((By.CSS_SELECTOR, "#hits a")))
    first = browser.find_element(By.CSS_SELECTOR, "#hits a")
    assert first.text == "Hoàng Trung Hải"
    first.click()
    WebDriverWait(browser, 15).until(when.url_contains("/doc/hoang-trung-hai.en.html"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Hoàng Trung Hải"


def test_the_home_page_fits_a_phone_screen(base, browser, tmp_path):
    """At a phone's width (390 CSS px) the who-committed-what table stacks into cards: nothing
    is wider than the screen, and each cell says which column it is."""
    from selenium.webdriver.common.by import By

    browser.set_window_size(390, 844)
    browser.get(base + "/")
    width = browser.execute_script("return window.innerWidth")
    scroll = browser.execute_script("return document.documentElement.scrollWidth")
    assert scroll <= width, (scroll, width)
    cell = browser.find_element(By.CSS_SELECTOR, "table.who tbody td[data-label]")
    before = browser.execute_script(
        "return getComputedStyle(arguments[0], '::before').content", cell
    )
    assert before.startswith('"Bên cam kết')
    shots = Path(os.environ.get("COOPKG_SCREENSHOT_DIR") or tmp_path)
    browser.save_screenshot(str(shots / "home-phone.png"))


def test_oxigraph_query_page_asks_the_endpoint_that_serve_prints(base, browser):
    """YASGUI (Oxigraph's query page) opens with /query in its endpoint box and gets its
    answer from there."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(base + "/yasgui")
    box = WebDriverWait(browser, 30).until(
        lambda b: b.find_element(By.CSS_SELECTOR, ".yasgui .autocompleteWrapper input")
    )
    assert box.get_attribute("value") == base + "/query"
    browser.execute_script(
        "window.yasgui.getTab().setQuery("
        "'SELECT ?l WHERE { <https://w3id.org/coopkg/id/lao-cai> "
        '<http://www.w3.org/2004/02/skos/core#prefLabel> ?l FILTER(lang(?l) = "vi") }\')'
    )
    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    WebDriverWait(browser, 30).until(
        lambda b: "Lào Cai" in b.find_element(By.CSS_SELECTOR, ".yasr").text
    )

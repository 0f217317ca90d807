"""The audio chapter's players in the built HTML: embedded WAV files that play offline.

Runs when the book is built (``_build/html``, or ``BOOK_HTML``). The static test reads
``chapters/audio.html``: it must hold ``<audio>`` elements whose every source is a
``data:audio/wav;base64,`` URI (no http(s) address), and every such URI must decode to a
valid WAV file (:mod:`wave`). When Chromium and Playwright are installed (as for
``tests/test_browser.py``), the page is also opened offline in headless Chromium, every
player's ``duration`` must be finite and positive, and nothing may be fetched from the network.
"""

from __future__ import annotations

import base64
import io
import os
import shutil
import wave
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html"))
PAGE = HTML / "chapters" / "audio.html"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
PREFIX = "data:audio/wav;base64,"

pytestmark = pytest.mark.skipif(not PAGE.is_file(), reason="the audio chapter is not built (make book)")


class _Players(HTMLParser):
    """Collect the sources of every ``<audio>`` element (its ``src`` and its ``<source>`` children)."""

    def __init__(self):
        super().__init__()
        self.players: list[list[str]] = []
        self._open = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "audio":
            self._open = True
            self.players.append([a["src"]] if a.get("src") else [])
        elif tag == "source" and self._open:
            self.players[-1].append(a.get("src") or "")

    def handle_endtag(self, tag):
        if tag == "audio":
            self._open = False


def players() -> list[list[str]]:
    parser = _Players()
    parser.feed(PAGE.read_text(encoding="utf-8"))
    return parser.players


def test_players_embed_their_wav_files():
    found = players()
    assert found, "no <audio> element on the audio chapter's page"
    for sources in found:
        assert sources, "an <audio> element without a source"
        for src in sources:
            assert src.startswith(PREFIX), f"a player's source is not an embedded WAV: {src[:60]!r}"
            assert "http:" not in src and "https:" not in src
            data = base64.b64decode(src[len(PREFIX):], validate=True)
            with wave.open(io.BytesIO(data)) as f:
                assert f.getnchannels() >= 1 and f.getsampwidth() in (1, 2, 3, 4)
                assert f.getframerate() >= 4000 and f.getnframes() > 0
                frame = f.getnchannels() * f.getsampwidth()
                assert len(f.readframes(f.getnframes())) == f.getnframes() * frame


def test_no_player_points_at_the_network():
    text = PAGE.read_text(encoding="utf-8")
    for sources in players():
        for src in sources:
            assert not src.lower().startswith(("http:", "https:", "//"))
    assert "<audio" in text


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
def test_players_load_offline_in_a_browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    fetched: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--headless=new", "--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required",
            "--disable-background-networking", "--disable-component-update", "--no-first-run"])
        try:
            page = browser.new_page()

            def route(r):
                if r.request.url.startswith(("http:", "https:")):
                    fetched.append(r.request.url)
                    return r.abort()
                return r.continue_()

            page.route("**/*", route)
            page.goto(PAGE.as_uri(), wait_until="load")
            durations = page.evaluate("""async () => {
              const players = Array.from(document.querySelectorAll('audio'));
              await Promise.all(players.map(a => a.readyState >= 1 ? null : new Promise(r => {
                a.addEventListener('loadedmetadata', r, {once: true});
                a.addEventListener('error', r, {once: true});
                a.preload = 'metadata'; a.load();
              })));
              return players.map(a => [a.duration, a.error ? a.error.code : 0]);
            }""")
        finally:
            browser.close()
    assert durations, "no <audio> element in the page"
    for duration, error in durations:
        assert error == 0, f"a player failed to load (MediaError code {error})"
        assert duration is not None and 0 < duration < 3600, duration
    assert not fetched, f"the page fetched from the network: {fetched[:5]}"

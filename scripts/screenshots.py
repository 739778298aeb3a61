"""Regenerate the README's screenshots (docs/img/*.png) from a fresh demo, in English and Arabic.

    .venv/bin/python scripts/screenshots.py                 # a new demo in a temporary folder
    .venv/bin/python scripts/screenshots.py --data-dir DIR  # reuse (or make) the demo data in DIR

It starts ``ctnet demo`` on a free port, signs in the demo accounts through the pages (password,
then the current code of their authenticator, as ``ctnet demo-code`` gives it), opens each page
below in both languages and saves it; then it stops the demo (and with it, its worker). Driven by
Playwright with Debian's chromium (``ctnet/conftest.py``), never a downloaded browser.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ctnet.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

PASSWORD = "demo-password-2026"  # noqa: S105 — the demo's published password (README)
LANGUAGES = ("en", "ar")


def _first_link(prefix: str) -> Callable[[Any], None]:
    """Open the first link in the page's table whose address starts with ``prefix``."""

    def go(page: Any) -> None:
        page.locator(f"main table a[href^='{prefix}']").first.click()
        page.wait_for_load_state()

    return go


@dataclass(frozen=True)
class Shot:
    name: str  # docs/img/<name>-<language>.png
    user: str
    path: str
    then: Callable[[Any], None] | None = None  # a step after opening the page
    viewport: tuple[int, int] = (1200, 800)
    full_page: bool = False


REQUEST, HIT = "/exchange/requests/", "/screening/hits/"
SHOTS = (
    Shot("home", "coord.fra", "/"),
    Shot("coverage", "coord.fra", "/directory/coverage/"),
    Shot("directory", "coord.fra", "/directory/?country=FRA"),
    Shot(
        "exchange-request",
        "coord.ken",
        "/exchange/?box=incoming",
        _first_link("/exchange/requests/"),
    ),
    Shot(
        "screening-hit",
        "officer.fra",
        "/screening/hits/",
        _first_link("/screening/hits/"),
        (1100, 900),
    ),
    # A phone: the request form in sections, 360 px wide.
    Shot("request-form-phone", "coord.fra", "/exchange/requests/new/", None, (360, 780)),
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CTNET_")}
    env.pop("DATABASE_URL", None)
    env["DJANGO_SETTINGS_MODULE"] = "ctnet.settings"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


@contextmanager
def demo(folder: Path) -> Iterator[str]:
    port = _free_port()
    log = (folder / "demo.log").open("w")
    process = subprocess.Popen(  # noqa: S603 — this very program
        [sys.executable, "-m", "ctnet.cli", "demo", "--port", str(port)],
        cwd=folder,
        env=_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 900  # the first start loads the demo data
        while True:
            if process.poll() is not None:
                raise SystemExit(f"ctnet demo stopped; see {folder / 'demo.log'}")
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310 — ours
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("ctnet demo did not answer in time") from None
                time.sleep(1)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)  # the demo stops its worker with it
        process.wait(timeout=60)
        log.close()


def demo_code(folder: Path, username: str) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "ctnet.cli", "demo-code", username],
        cwd=folder,
        env=_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def sign_in(browser: Any, base: str, folder: Path, username: str) -> Any:
    page = browser.new_context().new_page()
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_load_state()
    if "/login/otp/" in page.url:
        page.fill("#id_code", demo_code(folder, username))
        page.click("button.primary")
        page.wait_for_load_state()
        if "/login/otp/" in page.url:  # the code was used a moment ago: the next one
            time.sleep(31 - time.time() % 30)
            page.fill("#id_code", demo_code(folder, username))
            page.click("button.primary")
    page.wait_for_url(f"{base}/")
    return page


def take(shots: tuple[Shot, ...], folder: Path, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    saved = []
    with demo(folder) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pages: dict[str, Any] = {}
        for shot in shots:
            if shot.user not in pages:
                pages[shot.user] = sign_in(browser, base, folder, shot.user)
            page = pages[shot.user]
            page.set_viewport_size({"width": shot.viewport[0], "height": shot.viewport[1]})
            for language in LANGUAGES:
                # The person's own language is set at sign-in; the pictures are in these two.
                page.context.add_cookies(
                    [{"name": "django_language", "value": language, "url": base}]
                )
                page.goto(base + shot.path)
                if shot.then:
                    shot.then(page)
                target = out / f"{shot.name}-{language}.png"
                page.screenshot(path=str(target), full_page=shot.full_page)
                saved.append(target)
                print(target)
        browser.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data-dir", help="folder to run the demo in, its data in ctnet-data (default: a new one)"
    )
    parser.add_argument("--out", default=str(ROOT / "docs" / "img"))
    parser.add_argument("--only", nargs="*", help="names of the shots to take (default: all)")
    args = parser.parse_args(argv)
    shots = tuple(s for s in SHOTS if not args.only or s.name in args.only)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.data_dir:
        folder = Path(args.data_dir).resolve()
        folder.mkdir(parents=True, exist_ok=True)
        take(shots, folder, out)
    else:
        with tempfile.TemporaryDirectory(prefix="ctnet-screenshots-") as tmp:
            take(shots, Path(tmp), out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

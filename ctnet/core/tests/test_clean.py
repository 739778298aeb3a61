"""Rough edges of issue 14, item 7: favicon, htmx under the CSP, logs an operator can read, the
second-factor page, ``--help`` in plain text."""

from __future__ import annotations

import io
import logging
import re
from contextlib import redirect_stdout
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client, SimpleTestCase
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctnet.testing.base import PASSWORD, CtnetTestCase, current_code


class FaviconAndHtmxTests(CtnetTestCase):
    def test_favicon_answers_at_the_root_and_is_linked(self) -> None:
        response = self.client.get("/favicon.ico")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/x-icon")
        self.assertEqual(b"".join(response.streaming_content)[:4], b"\x00\x00\x01\x00")  # ICO
        page = self.client.get("/login/").content.decode()
        self.assertRegex(page, r'<link rel="icon" href="/static/ctnet/favicon[^"]*\.svg"')
        self.assertTrue(finders.find("ctnet/favicon.svg"))

    def test_htmx_adds_no_inline_style(self) -> None:
        """htmx 2 injects its indicator style unless told not to; the CSP refuses inline style,
        so the page tells it (a meta tag htmx reads) and site.css carries the style."""
        page = self.client.get("/login/").content.decode()
        self.assertIn(
            """<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>""", page
        )
        self.assertIn("style-src 'self'", self.client.get("/login/")["Content-Security-Policy"])
        with open(finders.find("ctnet/site.css"), encoding="utf-8") as css:
            self.assertIn(".htmx-request .htmx-indicator", css.read())
        self.assertNotRegex(page, r"\sstyle=|<style")


class _Captured:
    """What the console handler of ``settings.LOGGING`` writes, while in the block."""

    def __enter__(self) -> io.StringIO:
        self.handler = next(h for h in logging.getLogger().handlers if h.filters)
        self.stream = io.StringIO()
        self.old = self.handler.setStream(self.stream)
        return self.stream

    def __exit__(self, *exc: Any) -> None:
        self.handler.setStream(self.old)


class LogTests(CtnetTestCase):
    def test_a_refusal_is_one_line_and_a_failure_keeps_its_traceback(self) -> None:
        self.login(self.alice)
        with _Captured() as out:
            self.assertEqual(self.client.get("/audit/").status_code, 403)  # alice: no audit role
        text = out.getvalue()
        self.assertIn("Forbidden (Permission denied): /audit/", text)
        self.assertNotIn("Traceback", text)
        self.assertEqual(len(text.strip().splitlines()), 1, text)
        with _Captured() as out:
            try:
                raise RuntimeError("boom")
            except RuntimeError:
                logging.getLogger("django.request").error(
                    "Internal Server Error: /x", exc_info=True, extra={"status_code": 500}
                )
        self.assertIn("Traceback", out.getvalue())

    def test_task_lines_are_quiet_unless_asked(self) -> None:
        tasks = logging.getLogger("django_tasks_db")
        level = tasks.level
        tasks.setLevel(logging.INFO)  # what the task worker sets on start
        self.addCleanup(tasks.setLevel, level)
        with _Captured() as out:
            tasks.info("Task id=1 state=RUNNING")
            tasks.warning("Task id=2 failed; retrying")
        self.assertNotIn("RUNNING", out.getvalue())
        self.assertIn("retrying", out.getvalue())

    def test_log_levels_are_parsed_strictly(self) -> None:
        import os
        import subprocess
        import sys

        env = {k: v for k, v in os.environ.items() if not k.startswith("CTNET_")}
        env["CTNET_TASK_LOG_LEVEL"] = "loud"
        result = subprocess.run(
            [sys.executable, "-c", "import ctnet.settings"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("CTNET_TASK_LOG_LEVEL='LOUD' is not a log level", result.stderr)


class SecondFactorPageTests(CtnetTestCase):
    def _password(self, client: Client) -> None:
        response = client.post("/login/", {"username": "alice", "password": PASSWORD})
        self.assertEqual(response.status_code, 302)

    def test_no_menu_before_the_second_factor(self) -> None:
        self._password(self.client)
        page = self.client.get("/login/otp/").content.decode()
        self.assertNotIn('aria-label="Main"', page)
        self.assertNotIn('href="/organisations/"', page)
        self.assertIn("Sign out", page)  # leaving stays possible
        self.client.post("/login/otp/", {"code": current_code(self.alice)})
        self.assertIn('aria-label="Main"', self.client.get("/").content.decode())

    def test_a_code_used_once_is_named_as_used(self) -> None:
        code = current_code(self.alice)
        self._password(self.client)
        self.assertEqual(self.client.post("/login/otp/", {"code": code}).status_code, 302)
        other = Client()
        self._password(other)
        response = other.post("/login/otp/", {"code": code})
        self.assertContains(response, "This code was already used", status_code=400)
        self.assertNotContains(response, "This code is not right", status_code=400)
        # A wrong code is still called wrong.
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        TOTPDevice.objects.filter(user=self.alice).update(throttling_failure_count=0)
        response = other.post("/login/otp/", {"code": wrong})
        self.assertContains(response, "This code is not right", status_code=400)

    def test_the_reused_message_is_translated(self) -> None:
        code = current_code(self.alice)
        self._password(self.client)
        self.client.post("/login/otp/", {"code": code})
        other = Client()
        self._password(other)
        other.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
        response = other.post("/login/otp/", {"code": code})
        self.assertContains(response, "Ce code a déjà été utilisé", status_code=400)


class PlainHelpTests(SimpleTestCase):
    """``ctnet --help`` and every command's: text for a terminal, no reStructuredText."""

    RST = re.compile(r"``|:(?:func|class|meth|mod|ref):|^\.\. ", re.MULTILINE)

    def _help(self, *argv: str) -> str:
        from ctnet.cli import main

        out = io.StringIO()
        # argparse exits; the batch engines catch that and return the status.
        with redirect_stdout(out):
            try:
                status: object = main([*argv, "--help"])
            except SystemExit as done:
                status = done.code
        self.assertEqual(status, 0)
        return out.getvalue()

    def test_every_command_help_is_plain(self) -> None:
        from ctnet.cli import ENGINE_COMMANDS, build_parser

        def subcommands(parser: Any) -> dict[str, Any]:
            actions = parser._subparsers._group_actions if parser._subparsers else []
            return {name: sub for action in actions for name, sub in action.choices.items()}

        commands: list[tuple[str, ...]] = [()]
        for name, sub in subcommands(build_parser()).items():
            if name not in ENGINE_COMMANDS:
                commands.append((name,))
                commands.extend((name, inner) for inner in subcommands(sub))
        commands += [("screen",), ("hash",), ("hashes", "match")]
        self.assertIn(("token", "create"), commands)
        for argv in commands:
            with self.subTest(argv=argv):
                text = self._help(*argv)
                self.assertTrue(text.startswith("usage: ctnet"), text[:80])
                self.assertIsNone(self.RST.search(text), text)
        top = self._help()
        self.assertIn("Global Network of Counter-Terrorism Coordinators", top)
        self.assertIn("ctnet-data", top)

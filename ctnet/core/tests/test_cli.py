from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from unittest import mock

from django.test import SimpleTestCase

from ctnet.cli import main
from ctnet.core.demo import DEMO_PEOPLE, current_demo_code
from ctnet.core.models import ApiToken, Organisation, OrgKind, User
from ctnet.demo import load_demo
from ctnet.testing.base import CtnetTestCase


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


class TokenCommandTests(CtnetTestCase):
    def test_create_prints_once_and_stores_hash(self) -> None:
        code, out, _ = run("token", "create", "alice", "--read-only", "--expires", "7")
        self.assertEqual(code, 0)
        plaintext = out.strip()
        self.assertTrue(plaintext.startswith("ctn_"))
        token = ApiToken.objects.get(user=self.alice)
        self.assertTrue(token.read_only)
        self.assertNotIn(plaintext.split("_", 2)[2], token.secret_hash)
        response = self.client.get("/api/v1/me", headers={"Authorization": f"Bearer {plaintext}"})
        self.assertEqual(response.status_code, 200)

    def test_refusals(self) -> None:
        self.assertEqual(run("token", "create", "nobody")[0], 2)
        code, _, err = run("token", "create", "alice", "--expires", "100000")
        self.assertEqual(code, 2)
        self.assertIn("Expiry", err)
        self.assertFalse(ApiToken.objects.exists())


class DemoDataTests(CtnetTestCase):
    def test_demo_is_idempotent_and_complete(self) -> None:
        first = load_demo()
        second = load_demo()
        self.assertEqual(len(first), len(DEMO_PEOPLE))
        self.assertEqual(first, second)
        self.assertEqual(Organisation.objects.filter(kind=OrgKind.MEMBER_STATE).count(), 193)
        self.assertEqual(
            User.objects.filter(username__in=[p[0] for p in DEMO_PEOPLE]).count(), len(DEMO_PEOPLE)
        )
        code = current_demo_code("coord.fra")
        self.assertRegex(code or "", r"^\d{6}$")
        self.assertIsNone(current_demo_code("cso.member"))

    def test_member_states_have_six_names_and_a_group(self) -> None:
        load_demo()
        for org in Organisation.objects.filter(kind=OrgKind.MEMBER_STATE):
            self.assertEqual(set(org.names), {"en", "fr", "es", "ru", "zh", "ar"}, org.code)
            self.assertTrue(org.un_group, org.code)


class ServeRefusalTests(CtnetTestCase):
    def test_serve_refuses_debug_and_missing_secret(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CTNET_")}
        env["DJANGO_SETTINGS_MODULE"] = "ctnet.settings"
        env["CTNET_DATA_DIR"] = str(Path(self._tmp()) / "data")
        result = subprocess.run(
            [sys.executable, "-m", "ctnet.cli", "serve"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        self.assertEqual(result.returncode, 2)
        self.assertIn("CTNET_SECRET_KEY", result.stderr)
        env["CTNET_DEBUG"] = "1"
        result = subprocess.run(
            [sys.executable, "-m", "ctnet.cli", "serve"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        self.assertEqual(result.returncode, 2)
        self.assertIn("DEBUG", result.stderr)

    def test_bad_setting_fails_loudly(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CTNET_")}
        env["CTNET_SESSION_IDLE_MINUTES"] = "soon"
        result = subprocess.run(
            [sys.executable, "-c", "import ctnet.settings"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("CTNET_SESSION_IDLE_MINUTES='soon' is not a whole number", result.stderr)

    def _settings_with(self, **values: str) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CTNET_")}
        env.update(values)
        code = (
            "import ctnet.settings as s; d = s.DATABASES['default']; "
            "print(s.TASKS['default']['BACKEND'], s.CACHES['default']['BACKEND'], "
            "d.get('OPTIONS', {}).get('pool'), d['CONN_MAX_AGE'] if 'CONN_MAX_AGE' in d else '-')"
        )
        return subprocess.run(
            [sys.executable, "-c", code],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def test_redis_moves_the_queue_and_the_cache_and_a_bad_url_fails_loudly(self) -> None:
        plain = self._settings_with(CTNET_TESTING="0", DATABASE_URL="sqlite:///x.sqlite3")
        self.assertIn("django_tasks_db.DatabaseBackend", plain.stdout)
        self.assertIn("LocMemCache", plain.stdout)
        redis = self._settings_with(CTNET_TESTING="0", CTNET_REDIS_URL="redis://127.0.0.1:6379/3")
        self.assertIn("django_tasks_rq.RQBackend", redis.stdout)
        self.assertIn("RedisCache", redis.stdout)
        bad = self._settings_with(CTNET_REDIS_URL="127.0.0.1:6379")
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn("CTNET_REDIS_URL must be a redis://", bad.stderr)

    def test_postgresql_uses_a_connection_pool_unless_told_otherwise(self) -> None:
        url = "postgresql://ctnet@db.invalid:5432/ctnet"
        pooled = self._settings_with(DATABASE_URL=url)
        self.assertIn("'max_size': 4", pooled.stdout)
        off = self._settings_with(
            DATABASE_URL=url, CTNET_DB_POOL_MAX="0", CTNET_DB_CONN_MAX_AGE="60"
        )
        self.assertTrue(off.stdout.strip().endswith("None 60"), off.stdout + off.stderr)
        both = self._settings_with(DATABASE_URL=url, CTNET_DB_CONN_MAX_AGE="60")
        self.assertNotEqual(both.returncode, 0)
        self.assertIn("exclude each other", both.stderr)

    def test_sqlite_keeps_its_connections_between_requests(self) -> None:
        # Opening the file and its PRAGMAs on every request cost most of a served request
        # (issue 18); CTNET_DB_CONN_MAX_AGE still decides, 0 included.
        kept = self._settings_with(DATABASE_URL="sqlite:///x.sqlite3")
        self.assertTrue(kept.stdout.strip().endswith("None 600"), kept.stdout + kept.stderr)
        embedded = self._settings_with(DATABASE_URL="", CTNET_DATA_DIR=self._tmp())
        self.assertTrue(embedded.stdout.strip().endswith("None 600"), embedded.stdout)
        off = self._settings_with(DATABASE_URL="sqlite:///x.sqlite3", CTNET_DB_CONN_MAX_AGE="0")
        self.assertTrue(off.stdout.strip().endswith("None 0"), off.stdout + off.stderr)

    def test_a_bad_encoder_thread_count_stops_start_up(self) -> None:
        bad = self._settings_with(CTNET_ENCODER_THREADS="all")
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn("CTNET_ENCODER_THREADS must be a whole number from 1 to 64", bad.stderr)

    def _tmp(self) -> str:
        import tempfile

        path = tempfile.mkdtemp()
        self.addCleanup(lambda: __import__("shutil").rmtree(path, ignore_errors=True))
        return path


class WorkerTests(CtnetTestCase):
    def test_worker_runs_queued_tasks_from_the_database(self) -> None:
        """The real database backend and `ctnet worker`, in a separate SQLite data directory."""
        import tempfile

        data = tempfile.mkdtemp()
        self.addCleanup(lambda: __import__("shutil").rmtree(data, ignore_errors=True))
        env = {k: v for k, v in os.environ.items() if not k.startswith("CTNET_")}
        env.pop("DATABASE_URL", None)
        env.update({"CTNET_DEMO": "1", "CTNET_DATA_DIR": data, "CTNET_SECRET_KEY": "k" * 40})
        env["DJANGO_SETTINGS_MODULE"] = "ctnet.settings"

        def ctnet(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run(
                [sys.executable, "-m", "ctnet.cli", *args],
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )

        self.assertEqual(ctnet("manage", "migrate", "--no-input", "-v", "0").returncode, 0)
        enqueue = (
            "from ctnet.core.tasks import notify_membership_change as t;"
            "print(t.enqueue(123456, 'role').id)"
        )
        result = ctnet("manage", "shell", "--no-imports", "-c", enqueue)
        self.assertEqual(result.returncode, 0, result.stderr)
        task_id = result.stdout.strip()
        result = ctnet("worker", "--batch")
        self.assertEqual(result.returncode, 0, result.stderr)
        check = (
            "from django_tasks_db.models import DBTaskResult as R;"
            f"print(R.objects.get(id='{task_id}').status)"
        )
        self.assertEqual(
            ctnet("manage", "shell", "--no-imports", "-c", check).stdout.strip(), "SUCCESSFUL"
        )


class DemoFolderTests(SimpleTestCase):
    """The README's commands work in the folder where ``ctnet demo`` ran, with no environment."""

    def test_a_demo_folder_gives_the_demo_environment(self) -> None:
        from ctnet import cli

        with tempfile.TemporaryDirectory() as tmp, mock.patch.dict(os.environ, {}, clear=True):
            data = Path(tmp) / "ctnet-data"
            data.mkdir()
            (data / "demo-secret-key").write_text("k" * 50)
            with mock.patch.object(cli.Path, "cwd", return_value=Path(tmp)):
                cli._demo_here()
            self.assertEqual(os.environ["CTNET_DEMO"], "1")
            self.assertEqual(os.environ["CTNET_SECRET_KEY_FILE"], str(data / "demo-secret-key"))

    def test_a_configured_or_other_folder_is_left_alone(self) -> None:
        from ctnet import cli

        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "ctnet-data"
            data.mkdir()
            (data / "demo-secret-key").write_text("k" * 50)
            for env in ({"CTNET_SECRET_KEY": "x" * 40}, {"DATABASE_URL": "postgresql://db/x"}):
                with self.subTest(env=env), mock.patch.dict(os.environ, env, clear=True):
                    with mock.patch.object(cli.Path, "cwd", return_value=Path(tmp)):
                        cli._demo_here()
                    self.assertNotIn("CTNET_DEMO", os.environ)
            with mock.patch.dict(os.environ, {}, clear=True):
                with mock.patch.object(cli.Path, "cwd", return_value=Path(tmp) / "elsewhere"):
                    cli._demo_here()
                self.assertNotIn("CTNET_DEMO", os.environ)

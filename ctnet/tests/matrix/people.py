"""The fixed people of the test base, each signed in once for a whole test class.

Signing in goes through the real pages (password, then the second factor) in ``setUpTestData``;
only the session cookie and an API token per person are kept (strings, cheap to copy per test),
and each test builds one client per person from them.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client, override_settings

from ctnet.testing.base import CtnetTestCase

# Every fixed person of the test base (ctnet/testing/base.py), in the order cases are reported.
PEOPLE = ("alice", "bob", "charlie", "cso", "olga", "sam", "pat")

_DATA_DIR = Path(tempfile.mkdtemp(prefix="ctnet-matrix-"))


@override_settings(DATA_DIR=_DATA_DIR, HASHES_INDEX_DIR=_DATA_DIR / "hashes")
class MatrixTestCase(CtnetTestCase):
    sessions: dict[str, str]
    tokens: dict[str, str]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        from ctnet.core.models import UNGroup
        from ctnet.testing.base import make_org

        # A third state with nobody signed in: a recipient that no fixed person speaks for.
        cls.state_c = make_org("BRA", un_group=UNGroup.LATIN_AMERICAN_CARIBBEAN)
        cls.sessions = {}
        cls.tokens = {}
        for name in PEOPLE:
            user = getattr(cls, name)
            client = Client()
            CtnetTestCase.login(cls, user, client)  # uses only the client
            cls.sessions[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
            cls.tokens[name] = cls.token_for(cls, user)

    def setUp(self) -> None:
        super().setUp()
        self.anonymous = Client()
        self.browsers: dict[str, Client] = {}
        for name, session in self.sessions.items():
            client = Client()
            client.cookies[settings.SESSION_COOKIE_NAME] = session
            self.browsers[name] = client
        from ctnet.hashes import indexing
        from ctnet.screening import matching

        # Test databases repeat checkpoints; an index held from another test would lie.
        indexing.reset_index_cache()
        matching.reset_index_cache()

    # --- Calls ---------------------------------------------------------------------------------
    def call_api(
        self,
        person: str | None,
        method: str,
        url: str,
        body: Any = None,
        files: dict[str, Any] | None = None,
        query: dict[str, Any] | None = None,
    ) -> Any:
        if query:
            from django.utils.http import urlencode

            url = f"{url}?{urlencode(query)}"
        headers = {"Authorization": f"Bearer {self.tokens[person]}"} if person else {}
        client = Client()
        if files is not None:
            data = dict(body or {})
            data.update({k: _named(*v) for k, v in files.items()})
            return client.generic(method, url, **_multipart(data), headers=headers)
        payload = json.dumps(body if body is not None else {}) if method != "GET" else None
        if method == "GET":
            return client.get(url, body or {}, headers=headers)
        return client.generic(
            method, url, payload or "", content_type="application/json", headers=headers
        )

    def call_page(
        self, person: str | None, method: str, url: str, data: dict[str, Any] | None = None
    ) -> Any:
        client = self.browsers[person] if person else self.anonymous
        if method == "GET":
            return client.get(url, data or {})
        return client.generic(method, url, **_multipart(data or {}))


def _named(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def _multipart(data: dict[str, Any]) -> dict[str, Any]:
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    return {"data": encode_multipart(BOUNDARY, data), "content_type": MULTIPART_CONTENT}

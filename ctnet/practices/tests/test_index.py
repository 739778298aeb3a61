"""The in-memory index: rebuilt when the stored token moves, in the background after the first."""

from __future__ import annotations

from unittest import mock

from django.test import SimpleTestCase, override_settings

from ctnet.practices import vectors
from ctnet.practices.engine.ranking import fuse, top_k
from ctnet.practices.engine.textsearch import fts5_query, query_terms, snippet, tsquery


class BackgroundRefreshTests(SimpleTestCase):
    def setUp(self) -> None:
        self.saved = vectors._current
        self.addCleanup(setattr, vectors, "_current", self.saved)

    @override_settings(TESTING=False)
    def test_stale_index_serves_while_the_new_one_is_built(self) -> None:
        old, new = vectors.VectorIndex(version=1), vectors.VectorIndex(version=2)
        vectors._current = old
        with (
            mock.patch.object(vectors.SearchIndexState, "current", return_value=2),
            mock.patch.object(vectors, "build_index", return_value=new) as build,
            mock.patch.object(vectors, "connection"),
        ):
            self.assertIs(vectors.current_index(), old)
            for _ in range(200):
                if not vectors._refreshing.is_set():
                    break
                vectors._refreshing.wait(0.01)
            self.assertIs(vectors.current_index(), new)
        build.assert_called_once_with(2)

    @override_settings(TESTING=False)
    def test_first_build_is_synchronous(self) -> None:
        vectors._current = vectors.VectorIndex()
        new = vectors.VectorIndex(version=5)
        with (
            mock.patch.object(vectors.SearchIndexState, "current", return_value=5),
            mock.patch.object(vectors, "build_index", return_value=new),
        ):
            self.assertIs(vectors.current_index(), new)


class EngineTests(SimpleTestCase):
    def test_top_k_and_mask(self) -> None:
        import numpy as np

        matrix = np.eye(4, dtype="f4")
        query = np.array([0.1, 0.9, 0.5, 0.0], dtype="f4")
        self.assertEqual([i for i, _ in top_k(matrix, query, 2)], [1, 2])
        mask = np.array([True, False, True, True])
        self.assertEqual([i for i, _ in top_k(matrix, query, 2, mask)], [2, 0])

    def test_fuse_adds_a_bonus_to_the_first_fulltext_hits(self) -> None:
        scores = fuse({1: 0.50, 2: 0.52}, [1, 3], bonus=0.05, depth=10)
        self.assertGreater(scores[1], scores[2])
        self.assertAlmostEqual(scores[3], 0.05 / 2**0.5)

    def test_query_syntax_is_quoted(self) -> None:
        terms = query_terms("terrorisme\" OR x* 边境管理 l'état")
        self.assertEqual(fts5_query(terms), '"terroris"* OR "边 境 管 理" OR "état"')
        self.assertNotIn('"" ', fts5_query(terms))
        self.assertEqual(
            tsquery(terms), "('terroris':*) | ('边' <-> '境' <-> '管' <-> '理') | ('état')"
        )

    def test_snippet_centres_on_a_hit(self) -> None:
        text = "word " * 100 + "CIBLE trouvée ici " + "mot " * 100
        self.assertIn("CIBLE", snippet(text, query_terms("cible")))
        self.assertTrue(snippet(text, query_terms("absent")).startswith("word"))


class EncoderThreadsTests(SimpleTestCase):
    """``ctnet serve`` gives each web process's encoder its share of the cores (issue 18)."""

    def test_threads_come_from_the_environment_strictly(self) -> None:
        from ctnet.practices.engine import embedder

        with mock.patch.dict("os.environ", {embedder.THREADS_VARIABLE: ""}):
            self.assertEqual(embedder.encoder_threads(), embedder.DEFAULT_THREADS)
        with mock.patch.dict("os.environ", {embedder.THREADS_VARIABLE: " 1 "}):
            self.assertEqual(embedder.encoder_threads(), 1)
        for bad in ("0", "two", "-1", "65", "1.5"):
            with (
                mock.patch.dict("os.environ", {embedder.THREADS_VARIABLE: bad}),
                self.assertRaisesRegex(ValueError, "CTNET_ENCODER_THREADS must be"),
            ):
                embedder.encoder_threads()

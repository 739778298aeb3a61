"""Server-drawn SVG bar charts (issue 14, item 6): geometry, right to left, accessibility."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.test import SimpleTestCase
from django.utils import translation

from ctnet.core import charts
from ctnet.core.charts import Row, Series, bar_chart

SERIES = [Series("a", "Answered"), Series("b", "Late")]


class GeometryTests(SimpleTestCase):
    def test_longest_row_fills_the_span_and_segments_stack(self) -> None:
        chart = bar_chart("T", SERIES, [Row("one", (3.0, 1.0)), Row("two", (1.0, 0.0))])
        span = charts.WIDTH - charts.LABEL_WIDTH - charts.VALUE_WIDTH - 2 * charts.PAD
        first, second = chart.rows
        self.assertEqual([r.width for r in first.rects], [span * 3 / 4, span / 4])
        self.assertEqual(first.rects[1].x, first.rects[0].x + first.rects[0].width)
        self.assertEqual(len(second.rects), 1)  # a zero draws nothing
        self.assertEqual(first.text, "4")
        self.assertEqual(first.cells, ("3", "1"))
        self.assertEqual(chart.height, 2 * charts.PAD + 2 * charts.ROW_HEIGHT)

    def test_right_to_left_mirrors_the_coordinates(self) -> None:
        ltr = bar_chart("T", SERIES, [Row("one", (3.0, 1.0))])
        rtl = bar_chart("T", SERIES, [Row("one", (3.0, 1.0))], rtl=True)
        for a, b in zip(ltr.rows[0].rects, rtl.rows[0].rects, strict=True):
            self.assertAlmostEqual(b.x, charts.WIDTH - a.x - a.width, places=0)
        self.assertEqual(rtl.rows[0].label_x, charts.WIDTH - charts.LABEL_WIDTH)
        self.assertGreater(ltr.rows[0].text_x, ltr.rows[0].rects[-1].x)
        self.assertLess(rtl.rows[0].text_x, rtl.rows[0].rects[-1].x)

    def test_fixed_maximum_caps_a_share(self) -> None:
        chart = bar_chart(
            "T", SERIES[:1], [Row("all", (100.0,)), Row("half", (50.0,))], maximum=100
        )
        self.assertAlmostEqual(chart.rows[1].rects[0].width * 2, chart.rows[0].rects[0].width, 1)

    def test_bad_input_is_refused(self) -> None:
        with self.assertRaises(ValueError):
            bar_chart("T", [], [])
        with self.assertRaises(ValueError):
            bar_chart("T", SERIES, [Row("x", (1.0,))])
        with self.assertRaises(ValueError):
            bar_chart("T", SERIES, [Row("x", (1.0, -1.0))])

    def test_no_rows_draws_an_empty_chart(self) -> None:
        chart = bar_chart("T", SERIES, [])
        self.assertEqual(chart.rows, ())


class TemplateTests(SimpleTestCase):
    def test_accessible_svg_with_its_numbers_as_a_table(self) -> None:
        with translation.override("fr"):
            chart = bar_chart("Réponses", SERIES, [Row("Reçues", (1234.5, 2.0))])
            html = render_to_string("ctnet/chart.html", {"chart": chart})
        self.assertIn('role="img"', html)
        self.assertIn(f'aria-labelledby="{chart.id}-title {chart.id}-desc"', html)
        self.assertIn(f'<title id="{chart.id}-title">Réponses</title>', html)
        self.assertIn('<th scope="row">Reçues</th>', html)
        # Numbers read in the page's language; coordinates stay SVG numbers (a dot, no space).
        self.assertIn("<td>1234,5</td>", html)
        self.assertNotRegex(html, r'(x|width)="[0-9]+,[0-9]')
        self.assertIn('direction="ltr"', html)
        self.assertNotIn("style=", html)  # the CSP refuses inline styles

    def test_right_to_left_page(self) -> None:
        with translation.override("ar"):
            chart = bar_chart(
                "T", SERIES, [Row("x", (1.0, 1.0))], rtl=translation.get_language_bidi()
            )
            html = render_to_string("ctnet/chart.html", {"chart": chart})
        self.assertIn('direction="rtl"', html)

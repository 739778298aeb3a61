"""Check the translations before the tests run.

Fails when a compiled catalogue (.mo) is missing or does not match its source (.po): the .mo files
are committed so that `make demo` needs no gettext tools, and must not drift from the .po files
that people edit. Untranslated entries are listed but do not fail the run: Django falls back to
English, and a new capability's strings are translated once its pages settle. The foundation's
pages are held to full translation by tests (`ctnet/core/tests/test_pages.py`).
"""

import sys
from pathlib import Path

import polib

PACKAGE = Path(__file__).resolve().parent.parent / "ctnet"
# The project catalogue, and those of apps that keep their own (Django merges them at run time).
LOCALES = sorted([PACKAGE / "locale", *PACKAGE.glob("*/locale")])
LANGS = ("ar", "zh_Hans", "fr", "ru", "es")


def check(locale: Path, lang: str) -> tuple[list[str], str]:
    po_path = locale / lang / "LC_MESSAGES" / "django.po"
    where = f"{locale.relative_to(PACKAGE.parent)} {lang}"
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        return [f"{where}: django.mo missing (run `make messages`)"], ""
    po = polib.pofile(str(po_path))
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(mo_path))}
    expected = {(e.msgctxt, e.msgid): e.msgstr for e in po if e.translated()}
    stale = [key[1] for key, text in expected.items() if compiled.get(key) != text]
    problems = []
    if stale:
        problems.append(f"{where}: {len(stale)} entries differ from the .mo, e.g. {stale[0]!r}")
    untranslated = len(po.untranslated_entries()) + len(po.fuzzy_entries())
    return problems, f"{where}: {len(expected)} translated, {untranslated} to do"


problems: list[str] = []
summary = []
for locale in LOCALES:
    for lang in LANGS:
        found, line = check(locale, lang)
        problems += found
        summary.append(line)
if problems:
    print("translations out of date:\n  " + "\n  ".join(problems), file=sys.stderr)
    sys.exit(1)
print("translations:\n  " + "\n  ".join(s for s in summary if s))

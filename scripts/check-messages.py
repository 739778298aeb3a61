"""Fail when a compiled translation (.mo) is older than its source (.po) or missing.

The .mo files are committed so that `make demo` needs no gettext tools; this check keeps them
from drifting away from the .po files that people edit.
"""

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "ctnet" / "locale"
LANGS = ("ar", "zh_Hans", "fr", "ru", "es")

problems = []
for lang in LANGS:
    po_path = LOCALE / lang / "LC_MESSAGES" / "django.po"
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        problems.append(f"{lang}: django.mo missing (run `make messages`)")
        continue
    po = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(po_path)) if e.translated()}
    mo = {(e.msgctxt, e.msgid): e for e in polib.mofile(str(mo_path))}
    stale = [key[1] for key, entry in po.items() if key not in mo or mo[key].msgstr != entry.msgstr]
    if stale:
        problems.append(
            f"{lang}: {len(stale)} entries differ between .po and .mo, e.g. {stale[0]!r}"
        )
    untranslated = [e.msgid for e in polib.pofile(str(po_path)).untranslated_entries()]
    if untranslated:
        problems.append(f"{lang}: {len(untranslated)} untranslated, e.g. {untranslated[0]!r}")
if problems:
    print("translations out of date:\n  " + "\n  ".join(problems), file=sys.stderr)
    sys.exit(1)
print(f"translations: {len(LANGS)} languages complete and compiled")

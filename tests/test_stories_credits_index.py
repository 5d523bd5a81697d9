"""Credits as a user gets them from a real index (issue 21): articles in five languages are
indexed by the CLI, then `credits --json` and `show --json` must credit the agencies their
sign-offs, datelines and end lines name, point each credit at its mention, and never credit
an outlet's own dateline or a parenthesis that names no source."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import run_cli

ARTICLES = {
    "de-copy.txt": ("Berliner Zeitung", "Die Regierung will das Gesetz im Mai beschließen.\n\n"
                    "Die Opposition kündigte Widerstand an, sagte ihr Sprecher der Deutschen Presse-Agentur. (dpa)\n"),
    "ru-copy.txt": ("Известия", "МОСКВА, 5 марта. /ТАСС/. Правительство одобрило законопроект о бюджете.\n\n"
                    "Документ внесут в Думу в апреле, по данным Интерфакса.\n"),
    "ru-own.txt": ("ТАСС", "МОСКВА, 6 марта. /ТАСС/. Дума приняла законопроект в первом чтении.\n"),
    "en-copy.txt": ("Kelvale Herald", "Flooding closed the coastal road for a third day.\n\n"
                    "Engineers expect it to reopen next week, officials said.\n\nReuters contributed reporting.\n"),
    "en-wire.txt": ("Reuters", "LONDON (Reuters) - Shares fell on Monday.\n\n"
                    "\u201cIt is a shock,\u201d one trader told Reuters.\n"),
    "en-songs.txt": ("Kelvale Herald", "The nominees for best original song were announced on Tuesday.\n\n"
                     "Best Original Song: \u201cNorthern Lights\u201d (WINNER)\n"
                     "Written by John Smith (BMI)\n"
                     "Inflation data came from the Istituto nazionale di statistica (ISTAT)\n"),
    "fr-copy.txt": ("Ouest-France", "Selon Le Parisien, le suspect a été interpellé mardi à Lyon.\n\n"
                    "Les enquêteurs ont saisi deux véhicules. (AFP)\n"),
    "es-copy.txt": ("El Norte", "Madrid, 5 mar (EFE).- El Gobierno aprobó este martes la reforma laboral.\n\n"
                    "La ley entrará en vigor en julio, según publica el diario El País.\n"),
}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("credits")
    corpus = root / "corpus"
    corpus.mkdir()
    meta = []
    for i, (name, (outlet, body)) in enumerate(sorted(ARTICLES.items())):
        (corpus / name).write_text(f"Article {i}\n\n{body}", encoding="utf-8")
        meta.append(f'["{name}"]\ndate = 2024-03-{5 + i:02d}\noutlet = "{outlet}"\n')
    (corpus / "metadata.toml").write_text("\n".join(meta), encoding="utf-8")
    done = run_cli("index", str(corpus), "--index", str(root / "ix"), cwd=root)
    assert done.returncode == 0, done.stderr
    return root


def _json(root: Path, *args: str):
    done = run_cli(*args, "--json", "--index", str(root / "ix"), cwd=root)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done.stdout


def _credited(root: Path, doc: str) -> dict[str, list[str]]:
    """source -> the mentions credited to it in `show --json`, read back from the text."""
    shown = json.loads(_json(root, "show", doc))
    out: dict[str, list[str]] = {}
    for c in shown["credits"]:
        out.setdefault(c["source"], []).append(shown["text"][c["start"]:c["end"]])
    return out


def test_show_json_credits_sign_offs_datelines_and_end_lines_with_their_spans(index: Path) -> None:
    de = _credited(index, "de-copy.txt")
    assert de.get("dpa") == ["Deutschen Presse-Agentur", "dpa"], de  # "sagte ... der Deutschen Presse-Agentur", "(dpa)"
    ru = _credited(index, "ru-copy.txt")
    assert ru.get("TASS") == ["ТАСС"] and ru.get("Interfax") == ["Интерфакса"], ru
    assert _credited(index, "en-copy.txt") == {"Reuters": ["Reuters"]}
    fr = _credited(index, "fr-copy.txt")
    assert set(fr) == {"Le Parisien", "Agence France-Presse"} and fr["Agence France-Presse"] == ["AFP"], fr
    es = _credited(index, "es-copy.txt")
    assert set(es) == {"EFE", "El País"}, es


def test_own_datelines_and_parentheses_that_name_no_source_are_no_credits(index: Path) -> None:
    assert _credited(index, "ru-own.txt") == {}    # TASS's own "/ТАСС/" dateline
    assert _credited(index, "en-wire.txt") == {}   # "told Reuters" in Reuters' own copy
    assert _credited(index, "en-songs.txt") == {}  # "(WINNER)", "(BMI)", "(ISTAT)"


def test_credits_json_counts_each_source_with_the_articles_behind_it(index: Path) -> None:
    rows = {r["source"]: r for r in map(json.loads, _json(index, "credits").splitlines())}
    assert {"dpa", "TASS", "Interfax", "Reuters", "Agence France-Presse", "EFE", "El País", "Le Parisien"} <= set(rows)
    assert not {"WINNER", "BMI", "ISTAT"} & set(rows)
    assert rows["TASS"]["articles"] == 1  # the copy in Известия, not TASS's own article
    assert all(by["outlet"] != "ТАСС" for by in rows["TASS"]["by"])

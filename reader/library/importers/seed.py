"""The bundled articles, made from the raw seed by the ordinary importer.

Kept inside the package (not only in ``scripts/``) so the test that compares
``articles/`` with a fresh import and the script that writes them share one
definition of "the bundled articles".
"""

from __future__ import annotations

from pathlib import Path

from reader.paths import PROJECT_ROOT

#: The seed folder, found relative to the checkout (its sibling ``shared/``).
SEED_DIR = PROJECT_ROOT.parent / "shared" / "seed"


def build_articles(seed_dir: Path = SEED_DIR) -> dict[str, str]:
    """``{file name: file content}`` for every story in every seed file."""
    from reader.library.importers import import_file

    files: dict[str, str] = {}
    for path in sorted(seed_dir.glob("*.txt")):
        outcome = import_file(path)
        for article in outcome.articles:
            article.source = f"seed/{path.name}"
            files[f"{article.id}.md"] = article.to_markdown()
    return files

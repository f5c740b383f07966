"""Allow ``python -m reader`` where the console script is not on PATH."""

from reader.cli import main

raise SystemExit(main())

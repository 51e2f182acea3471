"""`python -m assistant …` is the `assistant` command."""

from .interfaces.cli import main

raise SystemExit(main())

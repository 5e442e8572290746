"""`python -m pipeline` is the `zhfacts` command."""

from pipeline.cli import main

raise SystemExit(main())

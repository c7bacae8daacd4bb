"""``python -m strikeboard`` runs the CLI."""

from strikeboard.cli import main

raise SystemExit(main())

"""strikeboard: a terminal app that runs a strike."""

__version__ = "0.1.0"

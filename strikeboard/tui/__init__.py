"""The Textual app: shell, tabs (panels), palette commands and help."""

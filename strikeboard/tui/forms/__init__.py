"""Modal forms (``ModalScreen[str | None]``): each writes through the gateway and names the case."""

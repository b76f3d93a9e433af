"""imr_nlp: structured data from California workers' compensation IMR determination letters."""

from __future__ import annotations

from .pipeline import load

__version__ = "0.1.0"

__all__ = ["load", "__version__"]

"""Population scoring: many patients at once, through the API's own rules and scoring (no Flask).

`PopulationScorer` scores an Arrow record batch (the core every engine calls); `cli` is the
`spinal-fusion-risk population` command built on it."""

from .scorer import PopulationScorer

__all__ = ["PopulationScorer"]

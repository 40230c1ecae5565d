"""ptce-mono: reproducible monographs of French territorial economic cooperation hubs (PTCE).

Deliberately imports nothing heavy, so that ``ptce-mono --help`` stays instant.
"""

__version__ = "0.1.0"

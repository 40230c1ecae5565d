"""ptce-mono: reproducible monographs of French territorial economic cooperation hubs (PTCE).

Deliberately imports nothing heavy, so that ``ptce-mono --help`` stays instant.
"""

from pathlib import Path

__version__ = "0.1.0"

# The package's own folder: every path to the project's files (templates, fonts) and the code
# digest start here, whatever folder the module asking for it sits in.
PACKAGE_DIR = Path(__file__).resolve().parent

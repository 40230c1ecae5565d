"""What a ptce-mono process skips at start-up (the command line and the build's workers).

``jsonschema`` (imported by nbformat, hence by papermill) loads ``rfc3987_syntax`` when it is
installed (JupyterLab's server installs it to check IRIs in its event schemas); that import
compiles a grammar and costs about a second of CPU per process. No schema ptce-mono validates
(notebooks, data package) uses the IRI formats, so its processes do without it: jsonschema
then simply does not check those two formats. JupyterLab's own server is not affected.
"""

from __future__ import annotations

import sys

UNUSED_MODULES = ("rfc3987_syntax",)


def skip_unused_imports() -> None:
    """Make the imports of :data:`UNUSED_MODULES` fail fast (as if not installed), unless a
    module already loaded them."""
    for name in UNUSED_MODULES:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]

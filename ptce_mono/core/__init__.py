"""The base layer: errors, paths, atomic writes, digests, French, limits, strict YAML,
external tools, locks. Imports nothing else from the package.
"""

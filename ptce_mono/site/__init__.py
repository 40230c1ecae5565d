"""The static report site: pages, map, search index, sanitising of embedded HTML, local server."""

"""One click command per module; cli.py registers them."""

"""Chart builders: figures returned, never saved or shown (style and radar shared below)."""

"""A tiny package of the user's own: roots that import each other (absolute and relative)."""

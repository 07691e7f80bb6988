"""Single source of the package version (read by hatchling and ``aitui --version``)."""

__version__ = "0.1.0"

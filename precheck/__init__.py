"""precheck."""

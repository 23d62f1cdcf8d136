"""No models: this module lets ``migrate`` send its post-migrate signal to ``prongsai.lib`` (``apps.py``),
which creates the database cache tables."""

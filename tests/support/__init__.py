"""Helpers every test folder may import: batches, apps, waiting, rendering, keys. Fixtures stay in conftest.py."""

"""A built Demostad (with its community items and the demo accounts) per backend, copied per test.

The fixtures are those of tests/signals (one build per backend and session).
"""

from __future__ import annotations

from tests.signals.conftest import (  # noqa: F401  (fixtures)
    NOW,
    backend,
    demo_postgres_template,
    demo_sqlite_file,
    demo_store,
    demo_url,
)

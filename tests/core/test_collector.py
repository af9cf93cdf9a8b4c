"""Long-running processes freeze what they loaded at start-up, so full collections stop walking it."""

import gc
import os
import subprocess
import sys

from marketplace.core.collector import YOUNG_THRESHOLD, collector_tune


def test_the_start_up_objects_are_frozen_and_young_collections_run_less_often():
    before = gc.get_threshold()
    try:
        kept = [[] for _ in range(1000)]  # alive at start-up (lists are tracked by the collector)
        assert any(o is kept[0] for o in gc.get_objects())

        frozen = collector_tune()

        assert frozen >= 1000 and gc.get_freeze_count() >= 1000  # (a frozen object can still be freed by refcount)
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD and gc.get_threshold()[1:] == before[1:]
        assert not any(o is kept[0] for o in gc.get_objects())  # frozen: no collection walks them any more
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_a_wsgi_worker_freezes_once_its_views_are_loaded():
    code = (
        "import gc, sys; import marketplace.wsgi; "
        "print(gc.get_freeze_count(), gc.get_threshold()[0], 'agencies.api.views' in sys.modules)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "marketplace.settings.test"}  # importing it here would freeze us
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout

    frozen, threshold, views_loaded = out.split()
    assert int(frozen) > 10_000 and int(threshold) == YOUNG_THRESHOLD and views_loaded == "True"


def test_a_celery_worker_loads_the_views_and_freezes_before_its_pool_forks():
    code = (
        "import gc, sys, warnings; warnings.simplefilter('ignore'); "  # Celery's fixup warns: no worker sent it
        "from celery.signals import worker_init; import marketplace.celery; "
        "assert 'agencies.api.views' not in sys.modules; worker_init.send(sender=None); "
        "from django.urls import get_resolver; "
        "print(gc.get_freeze_count(), gc.get_threshold()[0], 'agencies.api.views' in sys.modules, "
        "get_resolver()._populated)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "marketplace.settings.test"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout

    frozen, threshold, views_loaded, reverse_map_built = out.split()
    assert int(frozen) > 10_000 and int(threshold) == YOUNG_THRESHOLD
    assert views_loaded == "True" and reverse_map_built == "True"

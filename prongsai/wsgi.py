import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prongsai.settings")
application = get_wsgi_application()

# What starting made (modules, settings, URL patterns, compiled templates) lives as long as the process:
# out of the collector's sight (gc.freeze), each full collection scans only what requests made, which took
# the 250-item plan page's p95 from about 140 to about 100 ms (benchmarks/plan_page.py).
gc.collect()
gc.freeze()

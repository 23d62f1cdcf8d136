from prongsai.reports.tests.conftest import _media_in_tmp, published, quick_pdf  # noqa: F401

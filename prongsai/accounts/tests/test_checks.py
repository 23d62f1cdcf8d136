from prongsai.accounts.checks import check_signin_throttle


def test_the_default_settings_pass():
    assert check_signin_throttle() == []


def test_a_failure_count_below_one_is_refused(settings):
    settings.SIGNIN_CLIENT_MAX_FAILURES = 0
    assert [e.id for e in check_signin_throttle()] == ["accounts.E001"]


def test_a_window_too_short_to_slow_anyone_is_refused(settings):
    settings.SIGNIN_WINDOW_SECONDS = 5
    assert [e.id for e in check_signin_throttle()] == ["accounts.E002"]

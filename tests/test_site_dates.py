"""``{% time_element %}``: one format for every date, formatted once per day where the format shows the day only."""

import datetime

from django.utils import timezone, translation

from core.templatetags.site_dates import time_element


def test_moments_of_one_day_share_its_text_and_keep_their_own_machine_value(settings):
    settings.SITE_DATE_FORMAT = "F j, Y"
    morning = timezone.make_aware(datetime.datetime(2026, 4, 22, 8, 5))
    evening = timezone.make_aware(datetime.datetime(2026, 4, 22, 21, 40))
    assert time_element(morning) == '<time datetime="2026-04-22T08:05:00+00:00">April 22, 2026</time>'
    assert time_element(evening) == '<time datetime="2026-04-22T21:40:00+00:00">April 22, 2026</time>'
    assert time_element(datetime.date(2026, 4, 23)) == '<time datetime="2026-04-23">April 23, 2026</time>'


def test_the_text_follows_the_active_language_and_a_format_with_the_time(settings):
    settings.SITE_DATE_FORMAT = "F j, Y"
    moment = timezone.make_aware(datetime.datetime(2026, 3, 22, 8, 5))
    assert ">March 22, 2026<" in time_element(moment)
    with translation.override("de"):
        assert ">März 22, 2026<" in time_element(moment)  # not the English text kept for that day
    assert ">March 22, 2026<" in time_element(moment)
    settings.SITE_DATE_FORMAT = "F j, Y, H:i"  # the time too: every moment formatted on its own
    assert ">March 22, 2026, 08:05<" in time_element(moment)
    later = timezone.make_aware(datetime.datetime(2026, 3, 22, 9, 30))
    assert ">March 22, 2026, 09:30<" in time_element(later)

"""WordPress dates: the quick reading of the usual form agrees with strptime."""

from datetime import UTC, datetime

from hypothesis import example, given
from hypothesis import strategies as st

from articles.importers.wordpress import parse_date

_DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=1)


def _strptime(value: str) -> datetime | None:
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


@given(
    value=st.tuples(*[_DIGITS] * 14).map(
        lambda d: "{}{}{}{}-{}{}-{}{} {}{}:{}{}:{}{}".format(*d)
    )
)
@example(value="2020-01-01 24:00:00")
@example(value="2020-02-29 23:59:60")
@example(value="2019-02-29 10:00:00")
@example(value="0000-00-00 00:00:00")
def test_a_date_in_wordpress_form_reads_as_strptime_reads_it(value):
    expected = None if value.startswith("0000-00-00") else _strptime(value)

    assert parse_date(value, "", UTC) == expected


def test_other_forms_strptime_accepts_still_read():
    assert parse_date("2020-3-4 9:05:00", "", UTC) == datetime(
        2020, 3, 4, 9, 5, tzinfo=UTC
    )

"""
network_key(): one reader, one key. An IPv6 user is given a whole /64, so
every address in it must count as the same reader; IPv4 is kept as it is.
"""

import pytest

from comments.network import network_key


@pytest.mark.parametrize(
    ("ip", "key"),
    [
        ("192.0.2.7", "192.0.2.7"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
        # One spelling per network, however the address was written.
        ("2001:DB8:0001:0002:0:0:0:1", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.7", "192.0.2.7"),
        ("::FFFF:c000:0207", "192.0.2.7"),
        ("::1", "::/64"),
        # A link-local zone names the server's interface, not the reader.
        ("fe80::1%eth0", "fe80::/64"),
    ],
)
def test_an_address_is_keyed_by_itself_or_its_64(ip, key):
    assert network_key(ip) == key


def test_every_address_in_a_64_shares_one_key():
    keys = {
        network_key(ip)
        for ip in ("2001:db8:1:2::1", "2001:db8:1:2::ffff", "2001:db8:1:2:ffff::9")
    }

    assert keys == {"2001:db8:1:2::/64"}


def test_neighbouring_64s_have_different_keys():
    assert network_key("2001:db8:1:2::1") != network_key("2001:db8:1:3::1")


def test_an_ipv4_mapped_address_is_the_same_reader_as_the_ipv4_address():
    assert network_key("::ffff:198.51.100.4") == network_key("198.51.100.4")


def test_neighbouring_ipv4_addresses_stay_apart():
    assert network_key("198.51.100.4") != network_key("198.51.100.5")


@pytest.mark.parametrize(
    "ip", [None, "", "   ", "unknown", "198.51.100", "1.2.3.4.5", "2001:db8::/64"]
)
def test_no_address_or_an_invalid_one_is_unknown(ip):
    assert network_key(ip) == "unknown"

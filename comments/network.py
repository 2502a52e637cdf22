"""One reader, one key: how the pipeline counts addresses."""

import ipaddress


def network_key(ip: str | None) -> str:
    """
    An IPv4 address as itself; an IPv6 address as its /64 network, since one
    household or phone is given a whole /64; an IPv4-mapped IPv6 address as
    the IPv4 address; anything else as "unknown".
    """
    try:
        address = ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return "unknown"
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)

"""The link's trouble in the operator's words: what the socket or TLS layer said, turned into
what is wrong and where to look (the raw text stays in the tooltip for whoever fixes it)."""

from __future__ import annotations

# (what the low-level text contains, lower case) -> the plain sentence; {address} is the switch
PROBLEMS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("errno 111", "refused"), "no switch answers at {address}: is it running?"),
    (
        ("name or service not known", "errno -2", "errno -3", "errno -5", "getaddrinfo"),
        "the switch's name in {address} cannot be found: check the address in Settings",
    ),
    (
        ("errno 101", "errno 113", "unreachable"),
        "the network cannot reach {address}: check the cable or the VPN",
    ),
    (("timed out", "timeouterror"), "the switch at {address} did not answer in time"),
    (
        ("certificate verify failed", "unknown ca", "bad certificate"),
        "the switch at {address} and this terminal do not trust each other's certificates",
    ),
    (
        ("closed the link at once",),
        "the switch at {address} closed the link at once: it may refuse this terminal's "
        "certificate",
    ),
)


def plain_link_problem(detail: str, address: str) -> str:
    """A sentence for the status bar; "" when there is nothing wrong to say."""
    text = detail.lower()
    if not text or text == "closed":  # a logoff closes the link on purpose
        return ""
    for needles, sentence in PROBLEMS:
        if any(needle in text for needle in needles):
            return sentence.format(address=address)
    return f"the link to the switch at {address} failed"

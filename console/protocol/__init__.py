"""Nlets codecs: legacy text and the XML envelope to and from domain messages; framing."""

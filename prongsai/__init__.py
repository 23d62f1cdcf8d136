"""Prongsai (โปร่งใส): anti-corruption action plans for Thai local governments."""

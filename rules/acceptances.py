"""Acceptances (``iacfix.acceptance``) applied to a unit's findings after checking."""

from iacfix.acceptance import apply

from . import unit_step

unit_step(apply)

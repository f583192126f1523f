"""Steering the inflow: advice per vacancy, optimal spreading under caps, online policies and a
policy simulator.

Everything that assigns households to vacancies goes through one self-contained
:class:`~veerkracht.allocation.instance.Instance` (five tables), solved by
:func:`~veerkracht.allocation.optimise.allocate_exact`.
"""

from veerkracht.allocation.instance import Instance, read_instance, write_instance
from veerkracht.allocation.optimise import Plan, allocate_exact, check_plan

__all__ = [
    "Instance",
    "Plan",
    "allocate_exact",
    "check_plan",
    "read_instance",
    "write_instance",
]

"""Every write of coordination: one function per act, in one transaction, with its audit row.

- ``plans``: record a plan, add commitments and milestones, mark a milestone done;
- ``reporting``: the owner's self-report, evidence, asking for and recording assessments.
"""

"""The public, read-only JSON API at ``/api/v1/``: what any visitor may read, for programs.

Everything it shows is public already: organisations that have published a plan, their published plan
revisions (never a draft or an approved one), and the ITA results the NACC published. Plans are read
only through ``prongsai.plans.published``. See ``docs/decisions/0009-api.md``.
"""

"""Seeders that grow a province for `benchmarks.province`: one package per service, each writing that service's
documents for a plan (see plan.py) with the service's own models and id rules, in bulk."""

"""Seed, query, migrate, cost and guard the DynamoDB tables of this repository's Terraform stack."""

__version__ = "0.2.0"

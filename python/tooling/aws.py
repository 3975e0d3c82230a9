"""boto3 clients that honour the standard AWS variables and an explicit --endpoint-url.

AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_DYNAMODB, AWS_PROFILE and AWS_REGION are read by boto3 itself;
an explicit endpoint or region given on the command line wins over them.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config

DEFAULT_REGION = "us-east-1"


@dataclass(frozen=True)
class AwsOptions:
    endpoint_url: str | None = None
    region: str | None = None
    profile: str | None = None

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> AwsOptions:
        return cls(
            endpoint_url=getattr(args, "endpoint_url", None),
            region=getattr(args, "region", None),
            profile=getattr(args, "profile", None),
        )


def add_aws_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("AWS connection (defaults: the standard AWS_* variables)")
    group.add_argument("--endpoint-url", help="DynamoDB endpoint, e.g. http://127.0.0.1:5000")
    group.add_argument("--region", help="AWS region (default: AWS_REGION, else us-east-1)")
    group.add_argument("--profile", help="AWS profile (default: AWS_PROFILE)")


def session(options: AwsOptions | None = None) -> boto3.Session:
    options = options or AwsOptions()
    sess = boto3.Session(profile_name=options.profile, region_name=options.region)
    if sess.region_name is None:
        sess = boto3.Session(profile_name=options.profile, region_name=DEFAULT_REGION)
    return sess


def client(service: str, options: AwsOptions | None = None, **config: Any) -> Any:
    """A low-level client; `config` goes to botocore's Config (e.g. max_pool_connections)."""
    options = options or AwsOptions()
    cfg = Config(retries={"max_attempts": 10, "mode": "adaptive"}, **config)
    return session(options).client(service, endpoint_url=options.endpoint_url, config=cfg)


def dynamodb(options: AwsOptions | None = None, **config: Any) -> Any:
    return client("dynamodb", options, **config)

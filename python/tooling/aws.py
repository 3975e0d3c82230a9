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
from botocore.exceptions import EndpointConnectionError

DEFAULT_REGION = "us-east-1"
# An endpoint that refuses or never answers the connection is wrong, not busy: give up after this
# many attempts of a call (botocore would otherwise back off through all 10, 10-40 s in total) and
# after this many seconds per connection attempt (botocore's default is 60).
CONNECT_ATTEMPTS = 2
CONNECT_TIMEOUT = 5
# botocore's retries of throttling, 5xx and dropped connections: the one retry layer for errors
# (the seeder bounds a whole batch, re-sends included, by its own --max-attempts: dynamo/retry.py).
MAX_ATTEMPTS = 10


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


def client(
    service: str,
    options: AwsOptions | None = None,
    *,
    max_attempts: int = MAX_ATTEMPTS,
    prevalidated: bool = False,
    **config: Any,
) -> Any:
    """A low-level client making at most `max_attempts` HTTP attempts a call (adaptive retries);
    `config` goes to botocore's Config (e.g. max_pool_connections).

    `prevalidated`: every request's parameters come from this package's own serialiser, which
    has already checked them against DynamoDB's rules (seed, import, migrate), so botocore does
    not check them again: its walk of every attribute of every item against the service model
    is about a third of the client's CPU per item written. DynamoDB still refuses a bad request.
    """
    options = options or AwsOptions()
    config.setdefault("connect_timeout", CONNECT_TIMEOUT)
    if prevalidated:
        config["parameter_validation"] = False
    cfg = Config(retries={"total_max_attempts": max_attempts, "mode": "adaptive"}, **config)
    made = session(options).client(service, endpoint_url=options.endpoint_url, config=cfg)
    made.meta.events.register_first(f"needs-retry.{service}", _give_up_when_unreachable)
    return made


def _give_up_when_unreachable(
    attempts: int = 0, caught_exception: Exception | None = None, **_: Any
) -> None:
    """A needs-retry hook: re-raise a connection that could not be made once CONNECT_ATTEMPTS
    attempts have failed. Dropped connections, throttling and 5xx keep botocore's retries."""
    if isinstance(caught_exception, EndpointConnectionError) and attempts >= CONNECT_ATTEMPTS:
        raise caught_exception


def dynamodb(
    options: AwsOptions | None = None,
    *,
    max_attempts: int = MAX_ATTEMPTS,
    prevalidated: bool = False,
    **config: Any,
) -> Any:
    return client(
        "dynamodb", options, max_attempts=max_attempts, prevalidated=prevalidated, **config
    )

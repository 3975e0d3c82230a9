"""tests/support/moto_ext.py's CreateTable replay: a request sent again byte for byte (the SDK's
retry after a lost connection) gets the first answer; any other CreateTable of an existing table
is refused as moto refuses it."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from support.paths import TESTS
from tooling.dev.local import MotoServer

pytestmark = pytest.mark.integration

MOTO_EXT = TESTS / "support" / "moto_ext.py"  # run in the server, not imported here

TABLE: dict[str, Any] = {
    "TableName": "replayed",
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
    "BillingMode": "PAY_PER_REQUEST",
}


def test_a_resent_create_table_gets_the_first_answer() -> None:
    with MotoServer(extensions=(MOTO_EXT,)) as server:
        ddb = boto3.client(
            "dynamodb",
            endpoint_url=server.url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        first = ddb.create_table(**TABLE)["TableDescription"]
        again = ddb.create_table(**TABLE)["TableDescription"]
        assert again["TableArn"] == first["TableArn"]
        assert again["CreationDateTime"] == first["CreationDateTime"]
        assert ddb.list_tables()["TableNames"] == ["replayed"]

        with pytest.raises(ClientError, match="ResourceInUseException"):
            ddb.create_table(**{**TABLE, "BillingMode": "PROVISIONED"} | _capacity())
        # Deleted, then created again: a new table, not the first answer.
        ddb.delete_table(TableName="replayed")
        third = ddb.create_table(**TABLE)["TableDescription"]
        assert third["CreationDateTime"] >= first["CreationDateTime"]
        assert ddb.describe_table(TableName="replayed")["Table"]["ItemCount"] == 0


def _capacity() -> dict[str, Any]:
    return {"ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}

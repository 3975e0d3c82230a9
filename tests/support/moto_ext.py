"""Calls moto 5 does not implement that examples/production needs, registered on moto's own
response classes (run inside the server process by `MotoServer(extensions=(THIS_FILE,))`).

- Application Auto Scaling TagResource / ListTagsForResource: the AWS provider reads a scalable
  target's tags on every refresh; tags are kept per resource ARN.
- AWS Backup Create/Get/DeleteBackupSelection: kept per plan, as AWS returns them; ListTags
  also for the path without a trailing slash that the Go SDK sends (moto reads no ARN from it).
- AWS Budgets DescribeSubscribersForNotification (the subscribers moto already stores) and
  Tag/Untag/ListTagsForResource (the provider reads a budget's tags).
- DynamoDB UpdateTable's SSESpecification, which moto ignores: a table moving to a customer key
  (the development -> production upgrade) keeps the key it is given, as in AWS.

Everything else is moto's real implementation (with the local endpoint's own fixes,
python/tooling/dev/moto_patches.py, which every MotoServer loads). AWS managed IAM policies (the
backup role attaches two) exist in moto only when MOTO_IAM_LOAD_MANAGED_POLICIES is set, which
this file does.
"""

from __future__ import annotations

import json
import os
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
from moto.backup.exceptions import ResourceNotFoundException
from moto.backup.responses import BackupResponse
from moto.budgets.responses import BudgetsResponse
from moto.dynamodb.responses import DynamoHandler

PATH = Path(__file__)

os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")

_scaling_tags: dict[str, dict[str, str]] = {}
_budget_tags: dict[str, list[dict[str, str]]] = {}
_selections: dict[tuple[str, str], dict[str, Any]] = {}


def _tag_resource(self: ApplicationAutoScalingResponse) -> str:
    body = json.loads(self.body)
    _scaling_tags.setdefault(body["ResourceARN"], {}).update(body.get("Tags") or {})
    return "{}"


def _list_tags_for_resource(self: ApplicationAutoScalingResponse) -> str:
    arn = json.loads(self.body)["ResourceARN"]
    return json.dumps({"Tags": _scaling_tags.get(arn, {})})


def _untag_resource(self: ApplicationAutoScalingResponse) -> str:
    body = json.loads(self.body)
    for key in body.get("TagKeys") or []:
        _scaling_tags.get(body["ResourceARN"], {}).pop(key, None)
    return "{}"


def _selection_key(self: BackupResponse) -> tuple[str, str]:
    # /backup/plans/{plan id}/selections/{selection id}
    parts = self.path.rstrip("/").split("/")
    return parts[3], (parts[5] if len(parts) > 5 else "")


def _create_backup_selection(self: BackupResponse) -> str:
    plan_id = _selection_key(self)[0]
    selection_id = str(uuid.uuid4())
    created = datetime.now(timezone.utc).timestamp()
    _selections[(plan_id, selection_id)] = {
        "BackupPlanId": plan_id,
        "SelectionId": selection_id,
        "BackupSelection": json.loads(self.body)["BackupSelection"],
        "CreationDate": created,
    }
    return json.dumps(
        {"SelectionId": selection_id, "BackupPlanId": plan_id, "CreationDate": created}
    )


def _get_backup_selection(self: BackupResponse) -> str:
    key = _selection_key(self)
    if key not in _selections:
        raise ResourceNotFoundException(f"no backup selection {key[1]} in plan {key[0]}")
    return json.dumps(_selections[key])


def _delete_backup_selection(self: BackupResponse) -> str:
    _selections.pop(_selection_key(self), None)
    return "{}"


def _list_backup_tags(self: BackupResponse) -> str:
    arn = unquote(self.path.split("/tags/", 1)[1].strip("/"))
    return json.dumps({"Tags": self.backup_backend.list_tags(resource_arn=arn)})


def _describe_subscribers_for_notification(self: BudgetsResponse) -> str:
    budget = self.backend.budgets[self._get_param("AccountId")][self._get_param("BudgetName")]
    wanted = self._get_param("Notification")
    fields = ("NotificationType", "ComparisonOperator", "Threshold", "ThresholdType")
    for n in budget.notifications:
        if all(n.details.get(f) == wanted.get(f) for f in fields):
            return json.dumps({"Subscribers": n.subscribers})
    return json.dumps({"Subscribers": []})


def _tag_budget(self: BudgetsResponse) -> str:
    tags = {t["Key"]: t for t in _budget_tags.get(self._get_param("ResourceARN"), [])}
    tags.update({t["Key"]: t for t in self._get_param("ResourceTags") or []})
    _budget_tags[self._get_param("ResourceARN")] = list(tags.values())
    return "{}"


def _untag_budget(self: BudgetsResponse) -> str:
    gone = set(self._get_param("ResourceTagKeys") or [])
    arn = self._get_param("ResourceARN")
    _budget_tags[arn] = [t for t in _budget_tags.get(arn, []) if t["Key"] not in gone]
    return "{}"


def _list_budget_tags(self: BudgetsResponse) -> str:
    return json.dumps({"ResourceTags": _budget_tags.get(self._get_param("ResourceARN"), [])})


_moto_update_table = DynamoHandler.update_table


def _update_table(self: DynamoHandler) -> Any:
    sse = self.body.get("SSESpecification")
    if sse is not None:
        table = self.dynamodb_backend.get_table(self.body["TableName"])
        if sse.get("Enabled") is False:
            table.sse_specification = None  # back to the AWS-owned key
        else:
            spec = {"Enabled": True, **sse}
            if "KMSMasterKeyId" not in spec:  # the AWS-managed key, as at create
                spec["KMSMasterKeyId"] = table._get_default_encryption_key(
                    table.account_id, table.region_name
                )
            table.sse_specification = spec
    return _moto_update_table(self)


DynamoHandler.update_table = _update_table
ApplicationAutoScalingResponse.tag_resource = _tag_resource
ApplicationAutoScalingResponse.untag_resource = _untag_resource
ApplicationAutoScalingResponse.list_tags_for_resource = _list_tags_for_resource
BackupResponse.create_backup_selection = _create_backup_selection
BackupResponse.get_backup_selection = _get_backup_selection
BackupResponse.delete_backup_selection = _delete_backup_selection
BackupResponse.list_tags = _list_backup_tags
BudgetsResponse.describe_subscribers_for_notification = _describe_subscribers_for_notification
BudgetsResponse.tag_resource = _tag_budget
BudgetsResponse.untag_resource = _untag_budget
BudgetsResponse.list_tags_for_resource = _list_budget_tags

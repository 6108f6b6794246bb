"""Answers shaped as AWS gives them, where moto echoes what it was sent.

Used by tools/aws_proxy.py when its config has ``"aws_shapes": true``.
Each rule below changes a successful answer the way the real service does,
and names its source; docs/reliability.md lists them. A rule only adds what
AWS adds, drops what AWS drops or re-encodes what AWS re-encodes: the values
the provider sent stay as they were, so a provider that reads its own
settings back correctly sees no difference, and one that mistakes a server
default for drift sees a plan that never settles.

``shape(models, service, action, body)`` returns the new body and the names
of the rules that changed it.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import unescape as xml_unescape

# Server-side buffering defaults by destination description, from the
# Firehose API reference's BufferingHints pages (S3, OpenSearch, HTTP
# endpoint: 5 MiB / 300 s; Splunk: 5 MiB / 60 s).
BUFFERING_DEFAULTS = {
    "S3DestinationDescription": {"SizeInMBs": 5, "IntervalInSeconds": 300},
    "ExtendedS3DestinationDescription": {"SizeInMBs": 5, "IntervalInSeconds": 300},
    "S3BackupDescription": {"SizeInMBs": 5, "IntervalInSeconds": 300},
    "ElasticsearchDestinationDescription": {"SizeInMBs": 5, "IntervalInSeconds": 300},
    "AmazonopensearchserviceDestinationDescription": {"SizeInMBs": 5, "IntervalInSeconds": 300},
    "AmazonOpenSearchServerlessDestinationDescription": {"SizeInMBs": 5, "IntervalInSeconds": 300},
    "HttpEndpointDestinationDescription": {"SizeInMBs": 5, "IntervalInSeconds": 300},
    "SplunkDestinationDescription": {"SizeInMBs": 5, "IntervalInSeconds": 60},
}

S3_DESCRIPTIONS = ("S3DestinationDescription", "ExtendedS3DestinationDescription", "S3BackupDescription")


class Shaper:
    def __init__(self, models) -> None:
        self.models = models
        self.applied: list[str] = []

    def did(self, rule: str) -> None:
        if rule not in self.applied:
            self.applied.append(rule)

    # ------------------------------------------------------------ Firehose

    def describe_delivery_stream(self, doc: dict) -> None:
        desc = doc.get("DeliveryStreamDescription")
        if not isinstance(desc, dict):
            return
        # The description always carries the SSE status, DISABLED when the
        # stream has no SSE (API reference, DeliveryStreamEncryptionConfiguration;
        # terraform-provider-aws reads server_side_encryption from Status).
        enc = desc.get("DeliveryStreamEncryptionConfiguration")
        if not isinstance(enc, dict):
            desc["DeliveryStreamEncryptionConfiguration"] = {"Status": "DISABLED"}
            self.did("sse_status")
        elif "Status" not in enc:
            enc["Status"] = "ENABLED"
            self.did("sse_status")
        if "HasMoreDestinations" not in desc:
            desc["HasMoreDestinations"] = False
            self.did("has_more_destinations")
        for dest in desc.get("Destinations") or []:
            for kind, d in list(dest.items()):
                if isinstance(d, dict):
                    self.destination(kind, d)
        # Members the output shape lacks never come back: secrets such as an
        # HTTP endpoint's AccessKey, Redshift's Password, Snowflake's
        # PrivateKey (HttpEndpointDescription has only Url and Name).
        if self.prune("firehose", "DeliveryStreamDescription", desc):
            self.did("members_outside_the_model")

    def destination(self, kind: str, d: dict) -> None:
        role = d.get("RoleARN")
        # Logging that is off reads back as Enabled: false, not absent
        # (terraform-provider-aws flattens CloudWatchLoggingOptions both ways).
        if "CloudWatchLoggingOptions" not in d and kind != "DestinationId":
            d["CloudWatchLoggingOptions"] = {"Enabled": False}
            self.did("logging_disabled")
        if kind in S3_DESCRIPTIONS:
            # API reference, EncryptionConfiguration: NoEncryptionConfig is
            # the default and is returned as "NoEncryption".
            if "EncryptionConfiguration" not in d:
                d["EncryptionConfiguration"] = {"NoEncryptionConfig": "NoEncryption"}
                self.did("no_encryption_config")
            # API reference, CompressionFormat: the default is UNCOMPRESSED.
            if "CompressionFormat" not in d:
                d["CompressionFormat"] = "UNCOMPRESSED"
                self.did("compression_default")
        if kind in BUFFERING_DEFAULTS and "BufferingHints" not in d:
            d["BufferingHints"] = dict(BUFFERING_DEFAULTS[kind])
            self.did("buffering_defaults")
        if kind == "ExtendedS3DestinationDescription" and "S3BackupMode" not in d:
            # API reference, ExtendedS3DestinationDescription: S3BackupMode
            # defaults to Disabled, which DescribeDeliveryStream returns.
            d["S3BackupMode"] = "Disabled"
            self.did("s3_backup_mode_disabled")
        if kind == "SnowflakeDestinationDescription" and "SnowflakeRoleConfiguration" not in d:
            # terraform-provider-aws: snowflake_role_configuration reads back
            # as enabled = false when none was sent.
            d["SnowflakeRoleConfiguration"] = {"Enabled": False}
            self.did("snowflake_role_disabled")
        if "ProcessingConfiguration" in d or kind in (
            "ExtendedS3DestinationDescription", "RedshiftDestinationDescription",
            "ElasticsearchDestinationDescription", "AmazonopensearchserviceDestinationDescription",
            "AmazonOpenSearchServerlessDestinationDescription", "SplunkDestinationDescription",
            "HttpEndpointDestinationDescription", "SnowflakeDestinationDescription",
            "IcebergDestinationDescription"):
            self.processing(d, role, kind)
        conv = d.get("DataFormatConversionConfiguration")
        if isinstance(conv, dict) and conv.get("Enabled") is False and len(conv) > 1:
            # A disabled conversion reads back as Enabled: false alone
            # (terraform-provider-aws flattens it with no schema or serde).
            d["DataFormatConversionConfiguration"] = {"Enabled": False}
            self.did("conversion_disabled")
        for nested in ("S3DestinationDescription", "S3BackupDescription"):
            if isinstance(d.get(nested), dict):
                self.destination(nested, d[nested])

    def processing(self, d: dict, role: str | None, kind: str) -> None:
        pc = d.get("ProcessingConfiguration")
        if not isinstance(pc, dict):
            # Not sent: Firehose returns processing as disabled, with no
            # processors (terraform-provider-aws handles nil and this form).
            d["ProcessingConfiguration"] = {"Enabled": False, "Processors": []}
            self.did("processing_disabled")
            return
        for p in pc.get("Processors") or []:
            if p.get("Type") != "Lambda":
                continue
            params = p.setdefault("Parameters", [])
            names = {x.get("ParameterName") for x in params}
            # Firehose fills in the Lambda parameters it was not sent
            # (terraform-provider-aws filters them out on read, in
            # flattenProcessingConfiguration), with the defaults of the API
            # reference's ProcessorParameter: NumberOfRetries 3,
            # BufferIntervalInSeconds 60, BufferSizeInMBs 1 (256 KB for
            # Splunk), and RoleArn the destination's role.
            size = "0.25" if kind == "SplunkDestinationDescription" else "1"
            for name, value in (("NumberOfRetries", "3"), ("RoleArn", role),
                                ("BufferSizeInMBs", size), ("BufferIntervalInSeconds", "60")):
                if name not in names and value is not None:
                    params.append({"ParameterName": name, "ParameterValue": value})
                    self.did("lambda_parameter_defaults")
            for x in params:
                # An unqualified function ARN reads back qualified with
                # :$LATEST (terraform-provider-aws suppresses that diff).
                if x.get("ParameterName") == "LambdaArn" and re.fullmatch(
                        r"arn:[^:]+:lambda:[^:]+:\d{12}:function:[^:]+", x.get("ParameterValue") or ""):
                    x["ParameterValue"] += ":$LATEST"
                    self.did("lambda_latest_qualifier")

    def prune(self, service: str, shape_name: str, value) -> bool:
        """Drop members the service's output shape does not have."""
        model = self.models.model(service) if self.models else None
        if not model:
            return False
        return prune(model["shapes"], shape_name, value)

    # ---------------------------------------------------------------- IAM

    def iam_document(self, tag: str, xml: str) -> str:
        # IAM returns policy documents URL-encoded (IAM API reference,
        # GetRolePolicy and GetRole), and not as they were written: here
        # with the statements in another order, single-value lists as plain
        # strings and other whitespace, all of which mean the same policy.
        def rewrite(m: re.Match) -> str:
            text = urllib.parse.unquote(xml_unescape(m.group(2), {"&quot;": "\"", "&apos;": "'"}))
            try:
                doc = json.loads(text)
            except ValueError:
                return m.group(0)
            statements = doc.get("Statement")
            if isinstance(statements, list):
                doc["Statement"] = [collapse(s) for s in reversed(statements)]
            self.did("iam_document_reordered")
            encoded = urllib.parse.quote(json.dumps(doc, indent=4), safe="")
            return f"{m.group(1)}{xml_escape(encoded)}{m.group(3)}"

        return re.sub(rf"(<{tag}>)(.*?)(</{tag}>)", rewrite, xml, flags=re.S)

    # -------------------------------------------------------- Logs and KMS

    def log_groups(self, doc: dict) -> None:
        for g in doc.get("logGroups") or []:
            # DescribeLogGroups' documented example response: the ARN ends
            # in :*, logGroupArn does not; class, counts and bytes are set.
            arn = g.get("arn") or g.get("logGroupArn")
            if arn:
                bare = arn[:-2] if arn.endswith(":*") else arn
                for k, v in (("arn", bare + ":*"), ("logGroupArn", bare)):
                    if g.get(k) != v:
                        g[k] = v
                        self.did("log_group_arns")
            for k, v in (("logGroupClass", "STANDARD"), ("metricFilterCount", 0), ("storedBytes", 0)):
                if k not in g:
                    g[k] = v
                    self.did("log_group_fields")

    def key_metadata(self, doc: dict) -> None:
        meta = doc.get("KeyMetadata")
        if not isinstance(meta, dict):
            return
        # DescribeKey's documented example response for a symmetric key.
        for k, v in (("KeyManager", "CUSTOMER"), ("Origin", "AWS_KMS"), ("KeySpec", "SYMMETRIC_DEFAULT"),
                     ("CustomerMasterKeySpec", "SYMMETRIC_DEFAULT"), ("KeyUsage", "ENCRYPT_DECRYPT"),
                     ("EncryptionAlgorithms", ["SYMMETRIC_DEFAULT"]), ("MultiRegion", False),
                     ("Enabled", True)):
            if k not in meta:
                meta[k] = v
                self.did("key_metadata_fields")


def collapse(statement):
    """IAM may give a one-element Action or Resource list as a string."""
    if not isinstance(statement, dict):
        return statement
    out = {}
    for k, v in statement.items():
        if k in ("Action", "Resource", "NotAction", "NotResource") and isinstance(v, list) and len(v) == 1:
            v = v[0]
        out[k] = v
    return out


def prune(shapes: dict, shape_name: str, value) -> bool:
    shape = shapes.get(shape_name) or {}
    kind = shape.get("type")
    changed = False
    if kind == "structure" and isinstance(value, dict):
        members = shape.get("members", {})
        for k in list(value):
            if k not in members:
                del value[k]
                changed = True
            else:
                changed |= prune(shapes, members[k]["shape"], value[k])
    elif kind == "list" and isinstance(value, list):
        for item in value:
            changed |= prune(shapes, shape["member"]["shape"], item)
    return changed


def shape(models, service: str, action: str, body: bytes) -> tuple[bytes, list[str]]:
    s = Shaper(models)
    if service == "iam" and action in ("GetRolePolicy", "GetRole"):
        tag = "PolicyDocument" if action == "GetRolePolicy" else "AssumeRolePolicyDocument"
        text = body.decode("utf-8", "replace")
        out = s.iam_document(tag, text)
        return (out.encode() if s.applied else body), s.applied
    handlers = {
        ("firehose", "DescribeDeliveryStream"): s.describe_delivery_stream,
        ("logs", "DescribeLogGroups"): s.log_groups,
        ("kms", "DescribeKey"): s.key_metadata,
    }
    handler = handlers.get((service, action))
    if handler is None:
        return body, []
    try:
        doc = json.loads(body)
    except ValueError:
        return body, []
    if not isinstance(doc, dict):
        return body, []
    handler(doc)
    return (json.dumps(doc).encode() if s.applied else body), s.applied

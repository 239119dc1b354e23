"""Accepts a multipart form upload and stores the file."""

import json

from forms import parse_upload


def handler(event, context):
    name, size = parse_upload(event)
    return {"statusCode": 200, "body": json.dumps({"name": name, "size": size})}

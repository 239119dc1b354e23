import json

from forms import parse_upload


def handler(event, context):
    return {"statusCode": 200, "body": json.dumps(parse_upload(event))}

import json


def handler(event, context):
    return {"statusCode": 202, "body": json.dumps({"received": True})}

import json


def handler(event, context):
    for record in event.get("Records", []):
        print(json.dumps(record))
    return {"processed": len(event.get("Records", []))}

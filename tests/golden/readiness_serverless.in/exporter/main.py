import csv
import io


def handler(event, context):
    out = io.StringIO()
    csv.writer(out).writerows(event.get("rows", []))
    return out.getvalue()

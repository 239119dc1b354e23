"""Builds the daily report."""

import csv
import io
from datetime import date

from report_lib import totals


def handler(event, context):
    out = io.StringIO()
    writer = csv.writer(out)
    for name, value in totals(event.get("rows", [])).items():
        writer.writerow([date.today().isoformat(), name, value])
    return {"statusCode": 200, "body": out.getvalue()}

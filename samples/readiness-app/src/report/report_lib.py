from collections import Counter


def totals(rows):
    return Counter(row["name"] for row in rows)

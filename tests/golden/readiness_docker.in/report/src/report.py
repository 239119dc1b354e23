from render import table


def handler(event, context):
    return table(event.get("rows", []))

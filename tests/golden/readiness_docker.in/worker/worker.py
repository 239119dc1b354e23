import asyncore


def handler(event, context):
    return {"loop": asyncore.__name__}

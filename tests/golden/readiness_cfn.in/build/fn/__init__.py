from .helpers import parse


def handler(event, context):
    return parse(event)

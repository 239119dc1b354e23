from typing.io import TextIO


def handler(event, context):
    return TextIO

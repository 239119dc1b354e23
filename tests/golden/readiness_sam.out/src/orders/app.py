from distutils.util import strtobool


def handler(event, context):
    return strtobool(event["flag"])

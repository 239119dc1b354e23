import imghdr


def handler(event, context):
    return imghdr.what(event["path"])

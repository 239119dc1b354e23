import cgi


def handler(event, context):
    return cgi.parse_qs(event["q"])

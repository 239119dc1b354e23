import cgi


def handler(event, context):
    value, params = cgi.parse_header(event["headers"]["content-type"])
    return {"type": value, "params": params}

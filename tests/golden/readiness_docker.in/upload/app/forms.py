import cgi


def parse_upload(event):
    value, params = cgi.parse_header(event["headers"]["content-type"])
    return {"type": value, "params": params}

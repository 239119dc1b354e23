"""Form parsing, written in 2019."""

import base64
import cgi
import io

try:
    import imghdr  # only used to label images; optional
except ImportError:
    imghdr = None


def parse_upload(event):
    body = base64.b64decode(event["body"]) if event.get("isBase64Encoded") else event["body"].encode()
    ctype, params = cgi.parse_header(event["headers"]["content-type"])
    params["boundary"] = params["boundary"].encode()
    fields = cgi.parse_multipart(io.BytesIO(body), params)
    data = fields["file"][0]
    return (imghdr.what(None, data) if imghdr else None) or "file", len(data)

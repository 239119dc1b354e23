import sys

if sys.version_info < (3, 13):
    import pipes as quoting
else:
    import shlex as quoting


def handler(event, context):
    return quoting.quote(event["arg"])

import pkgutil


def handler(event, context):
    return pkgutil.find_loader("json")

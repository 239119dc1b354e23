def handler(event, context):
    print "legacy upload", event
    return 1

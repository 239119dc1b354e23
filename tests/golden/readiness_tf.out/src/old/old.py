def handler(event, context):
    print "old"
    return 0777

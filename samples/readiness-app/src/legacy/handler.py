import urllib2


def main(event, context):
    print "fetching", event["url"]
    try:
        return urllib2.urlopen(event["url"]).read()
    except urllib2.URLError, e:
        return str(e)

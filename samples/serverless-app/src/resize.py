def handler(event, context):
    return {"runtime": "python3.9"}  # code is never a site

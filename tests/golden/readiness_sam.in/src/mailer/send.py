import smtpd
import asyncore


def main(event, context):
    return asyncore.loop

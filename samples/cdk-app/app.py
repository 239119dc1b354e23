#!/usr/bin/env python3
"""Orders CDK app (Python): functions and layers with outdated runtimes."""
import aws_cdk as cdk

from stacks.orders import OrdersStack

app = cdk.App()
OrdersStack(app, "Orders")
app.synth()

import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Runtime as R } from "aws-cdk-lib/aws-lambda";
import { aws_lambda as awslambda, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';

// lambda.Runtime.PYTHON_3_8 in a comment is not a site
export class Orders extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new lambda.Function(this, 'Create', {
      runtime: lambda.Runtime.PYTHON_3_9,
      handler: 'index.handler',
      code: lambda.Code.fromInline('python3.9'),
    });
    new awslambda.Function(this, 'List', { runtime: awslambda.Runtime.PYTHON_3_11, handler: 'i.h', code: awslambda.Code.fromInline('x') });
    new lambda.Function(this, 'Audit', { runtime: new R('python3.10', lambda.RuntimeFamily.PYTHON), handler: 'i.h', code: lambda.Code.fromInline('x') });
    new lambda.Function(this, 'Q', { runtime: cdk.aws_lambda.Runtime.NODEJS_18_X, handler: 'i.h', code: lambda.Code.fromInline('x') });
    new lambda.LayerVersion(this, 'L', { code: lambda.Code.fromAsset('layer'), compatibleRuntimes: [R.PYTHON_3_8, R.PYTHON_3_12] });
  }
}

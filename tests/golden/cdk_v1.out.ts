import * as cdk from '@aws-cdk/core';
import * as lambda from '@aws-cdk/aws-lambda';

export class LegacyStack extends cdk.Stack {
  constructor(scope: cdk.Construct, id: string) {
    super(scope, id);
    new lambda.Function(this, 'Old', { runtime: lambda.Runtime.PYTHON_3_8, handler: 'i.h', code: lambda.Code.fromInline('x') });
    new lambda.Function(this, 'Custom', { runtime: new lambda.Runtime("python3.13"), handler: 'i.h', code: lambda.Code.fromInline('x') });
  }
}

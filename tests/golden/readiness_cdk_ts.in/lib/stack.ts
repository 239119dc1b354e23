import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as alpha from '@aws-cdk/aws-lambda-python-alpha';

export class ToolsStack extends cdk.Stack {
  constructor(scope: cdk.App, id: string) {
    super(scope, id);
    new lambda.Function(this, 'Parse', {
      runtime: lambda.Runtime.PYTHON_3_11,
      handler: 'app.handler',
      code: lambda.Code.fromAsset(path.join(__dirname, '..', 'handlers', 'parse')),
    });
    new alpha.PythonFunction(this, 'Tools', {
      runtime: lambda.Runtime.PYTHON_3_11,
      entry: 'handlers/tools',
      index: 'main.py',
      handler: 'handler',
    });
  }
}

/**
 * Runtime constants are rewritten only where they go to a runtime argument.
 *
 * LayerStack follows the aws-powertools layer pattern: the constant chosen for
 * a Python version also names the layer, so rewriting it would declare the
 * layer for python3.13 under a python3.8 name.
 */
import { Stack, StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LayerVersion, Runtime } from 'aws-cdk-lib/aws-lambda';
import { PythonLayerVersion } from '@aws-cdk/aws-lambda-python-alpha';
import { Construct } from 'constructs';

const HANDLER_RUNTIME = Runtime.PYTHON_3_13; // declared once, read only as runtime: rewritten
const SHARED_RUNTIMES = [Runtime.PYTHON_3_8, Runtime.PYTHON_3_12]; // compatibleRuntimes: reported only
const LEGACY: Record<string, Runtime> = { 'python3.8': Runtime.PYTHON_3_8 }; // a lookup table, not an argument

export class LayerStack extends Stack {
  constructor(scope: Construct, id: string, pythonVersion: string) {
    super(scope, id);

    let runtime = Runtime.PYTHON_3_13;
    if (pythonVersion === 'python3.8') {
      runtime = Runtime.PYTHON_3_8;
    }
    if (pythonVersion === 'python3.9') {
      runtime = Runtime.PYTHON_3_9;
    }

    new PythonLayerVersion(this, `Layer-${runtime.name}`, {
      entry: 'layer',
      compatibleRuntimes: [runtime],
    });
  }
}

export class AppStack extends Stack {
  private readonly legacy = Runtime.PYTHON_3_9; // stored: reported only

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const workerRuntime = new Runtime('python3.13', lambda.RuntimeFamily.PYTHON); // declared once, in the function

    new lambda.Function(this, 'Orders', {
      runtime: HANDLER_RUNTIME,
      handler: 'i.h',
      code: lambda.Code.fromInline('x'),
    });
    new lambda.Function(this, 'Worker', { runtime: workerRuntime, handler: 'i.h', code: lambda.Code.fromInline('x') });
    new LayerVersion(this, 'Shared', { code: lambda.Code.fromAsset('layer'), compatibleRuntimes: SHARED_RUNTIMES });
    const settings = { runtime: Runtime.PYTHON_3_13, handler: 'i.h' };
    new lambda.Function(this, 'FromSettings', { code: lambda.Code.fromInline('x'), ...settings });
    const runtime = this.node.tryGetContext('legacy') ? Runtime.PYTHON_3_13 : Runtime.PYTHON_3_12;
    new lambda.Function(this, 'Chosen', { runtime, handler: 'i.h', code: lambda.Code.fromInline('x') });

    if (this.node.tryGetContext('runtime') === Runtime.PYTHON_3_9.name) { // compared: reported only
      new lambda.Function(this, 'Legacy', { runtime: this.legacy, handler: 'i.h', code: lambda.Code.fromInline('x') });
    }
  }
}

export function runtimeFor(version: string): Runtime {
  return LEGACY[version] ?? Runtime.PYTHON_3_8; // returned: reported only
}

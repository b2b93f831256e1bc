import { App, type Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type DeploymentSettingsInput, parseDeploymentSettings } from '#shared/config/deployment-settings.ts';
import { PipelineStack } from '../../infra/pipeline-stack.ts';

const MSK_CLUSTER_ARN =
  'arn:aws:kafka:eu-west-1:123456789012:cluster/orders/6f1c5e8a-1d2b-4c3d-9e8f-0a1b2c3d4e5f-2';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_eventpipe-AbCdEf';

const baseSettings: DeploymentSettingsInput = {
  source: { kind: 'msk', clusterArn: MSK_CLUSTER_ARN, auth: 'iam' },
  topic: 'orders',
  consumerGroupId: 'eventpipe-orders',
  batchSize: 500,
  maxBatchingWindowSeconds: 2,
  reservedConcurrency: 8,
  maxAttempts: 5,
  retryWorker: { concurrency: 4, timeoutSeconds: 60 },
  routes: {
    'order.placed': 'https://orders.example.com/hooks',
    'payment.captured': 'https://payments.example.com/hooks',
    'notification.requested': 'https://notify.example.com/hooks',
  },
};

/**
 * Synthesizes the stack for settings (base settings merged with overrides) with cdk-nag applied,
 * as `infra/app.ts` does. Bundling is skipped unless asked for: the template is what is tested.
 */
function synth(
  overrides: Partial<DeploymentSettingsInput> = {},
  options: { bundle?: boolean; extend?: (stack: Stack) => void } = {},
) {
  const app = new App({ context: options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] } });
  const stack = new PipelineStack(app, 'EventPipeTest', {
    settings: parseDeploymentSettings({ ...baseSettings, ...overrides }),
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  options.extend?.(stack);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const assembly = app.synth();
  return { stack, template: Template.fromStack(stack), assembly };
}

export { baseSettings, MSK_CLUSTER_ARN, SECRET_ARN, synth };

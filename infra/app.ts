import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseDeploymentSettings } from '#shared/config/deployment-settings.ts';
import { PipelineStack } from './pipeline-stack.ts';

/** Context keys of `cdk.json` (or `-c key=value`). */
const SETTINGS_CONTEXT_KEY = 'eventpipe';
const STACK_NAME_CONTEXT_KEY = 'eventpipe:stackName';
const DEFAULT_STACK_NAME = 'EventPipe';

const app = new App();
const settings = parseDeploymentSettings(app.node.tryGetContext(SETTINGS_CONTEXT_KEY));
new PipelineStack(app, app.node.tryGetContext(STACK_NAME_CONTEXT_KEY) ?? DEFAULT_STACK_NAME, {
  settings,
  // Environment-agnostic unless the CLI knows the account: synth works offline without credentials.
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
// Every AwsSolutions finding fails synth unless acknowledged in code with its reason.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

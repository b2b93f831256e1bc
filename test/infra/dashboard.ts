import type { Template } from 'aws-cdk-lib/assertions';
import { expect } from 'vitest';

/** What the dashboard charts: our outcomes, the lag, throttles, concurrency, duration and both queues. */
const DASHBOARD_METRICS = [
  'Received',
  'Processed',
  'Retried',
  'DeadLettered',
  'OffsetLag',
  'Throttles',
  'ConcurrentExecutions',
  'p99',
  'ApproximateAgeOfOldestMessage',
];

/** Asserts that the template's one dashboard charts every one of {@link DASHBOARD_METRICS}. */
function expectDashboardCharts(template: Template): void {
  template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
  for (const metric of DASHBOARD_METRICS) expect(body).toContain(metric);
}

export { expectDashboardCharts };

import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MetricName } from '#shared/observability/metric-names.ts';
import {
  DASHBOARD_WIDGET_WIDTH,
  DEFAULT_ALARM_THRESHOLDS,
  DEFAULT_METRICS_NAMESPACE,
  DEFAULT_SERVICE_NAME,
  LAG_EVALUATION_PERIODS,
  METRIC_PERIOD,
  RATE_EVALUATION_PERIODS,
  RATE_PERIOD,
} from './defaults.ts';

interface AlarmSpec {
  readonly metric: IMetric;
  readonly threshold: number;
  readonly evaluationPeriods: number;
  readonly description: string;
  /** @default GREATER_THAN_OR_EQUAL_TO_THRESHOLD */
  readonly comparisonOperator?: ComparisonOperator;
}

/** When an alarm fires. */
interface AlarmThresholds {
  /** Records behind, for 5 minutes. @default 10000 */
  readonly offsetLagThreshold?: number;
  /** Percent of failed invocations per function, 3 × 5 minutes. @default 5 */
  readonly errorRatePercent?: number;
  /** Consumer throttles per 5 minutes, 3 in a row. @default 1 */
  readonly throttleThreshold?: number;
  /** Messages in the DLQ. @default 1 */
  readonly dlqThreshold?: number;
}

interface ObservabilityProps {
  /** The Kafka consumer: its metrics and the mapping's `OffsetLag` (reported in both scaling modes). */
  readonly consumer: IFunction;
  /** The retry worker: errors, duration and its error-rate alarm. */
  readonly retryWorker: IFunction;
  /** Charted by depth and age of the oldest message. */
  readonly retryQueue: IQueue;
  /** Charted by depth; the `DeadLetterQueueNotEmpty` alarm watches it. */
  readonly deadLetterQueue: IQueue;
  /** Namespace of the functions' EMF metrics. @default 'EventPipe' */
  readonly metricsNamespace?: string;
  /** The `service` dimension of the functions' EMF metrics. @default 'eventpipe' */
  readonly serviceName?: string;
  /** @default - the defaults of each threshold */
  readonly alarms?: AlarmThresholds;
  /**
   * Where alarms are e-mailed: an SNS topic (customer KMS key, TLS only) that CloudWatch may
   * publish to. The address must confirm the subscription before anything is delivered.
   * @default - no topic: alarms only change state
   */
  readonly notificationEmail?: string;
  /**
   * The HTTP front door: its API's requests and errors (429s are client errors), the ingest
   * function's outcomes, and an alarm when it cannot reach Kafka (503s).
   * @default - no front door
   */
  readonly ingest?: { readonly api: HttpApi; readonly fn: IFunction };
}

/**
 * The dashboard (throughput by outcome, offset lag, throttles, concurrency, duration, retry and
 * DLQ depth and age) and the alarms (DLQ not empty, lag above threshold, error rate, throttles,
 * hand-off failures), optionally notifying an SNS topic encrypted with a key CloudWatch may use.
 *
 * @example
 * ```ts
 * const { dashboard, alarms } = new Observability(this, 'Observability', {
 *   consumer, retryWorker, retryQueue, deadLetterQueue, notificationEmail: 'oncall@example.com',
 * });
 * ```
 */
class Observability extends Construct {
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];
  readonly topic?: Topic;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { consumer, retryWorker, retryQueue, deadLetterQueue } = props;
    const namespace = props.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE;
    const service = props.serviceName ?? DEFAULT_SERVICE_NAME;
    const ours = (functionRole: string, metricName: string, statistic = 'Sum') =>
      new Metric({
        namespace,
        metricName,
        dimensionsMap: { service, function: functionRole },
        statistic,
        period: METRIC_PERIOD,
      });
    const offsetLag = new Metric({
      namespace: 'AWS/Lambda',
      metricName: 'OffsetLag',
      dimensionsMap: { FunctionName: consumer.functionName },
      statistic: 'Maximum',
      period: METRIC_PERIOD,
    });
    const outcomes = (role: string) =>
      [MetricName.RECEIVED, MetricName.PROCESSED, MetricName.RETRIED, MetricName.DEAD_LETTERED].map((name) =>
        ours(role, name),
      );

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${Stack.of(this).stackName}-eventpipe`,
    });
    const widget = (title: string, left: Metric[] | MathExpression[], right: Metric[] = []) =>
      new GraphWidget({ title, left, right, width: DASHBOARD_WIDGET_WIDTH });
    this.dashboard.addWidgets(
      widget('Consumer: events by outcome', [
        ...outcomes('kafka-consumer'),
        ours('kafka-consumer', MetricName.SHORT_CIRCUITED),
      ]),
      widget('Retry worker: events by outcome', [
        ...outcomes('retry-worker'),
        ours('retry-worker', MetricName.RETRY_EXHAUSTED),
        ours('retry-worker', MetricName.SHORT_CIRCUITED),
      ]),
      widget('Kafka offset lag (records)', [offsetLag]),
    );
    this.dashboard.addWidgets(
      widget(
        'Consumer: throttles and concurrency',
        [consumer.metricThrottles({ period: METRIC_PERIOD })],
        [consumer.metric('ConcurrentExecutions', { statistic: 'Maximum', period: METRIC_PERIOD })],
      ),
      widget('Duration p50 / p99 (ms)', [
        consumer.metricDuration({ statistic: 'p50', period: METRIC_PERIOD }),
        consumer.metricDuration({ statistic: 'p99', period: METRIC_PERIOD }),
        retryWorker.metricDuration({ statistic: 'p50', period: METRIC_PERIOD }),
        retryWorker.metricDuration({ statistic: 'p99', period: METRIC_PERIOD }),
      ]),
      widget('Errors and hand-off failures', [
        consumer.metricErrors({ period: METRIC_PERIOD }),
        retryWorker.metricErrors({ period: METRIC_PERIOD }),
        ours('kafka-consumer', MetricName.HAND_OFF_FAILURES),
      ]),
    );
    this.dashboard.addWidgets(
      widget(
        'Retry queue depth and age',
        [retryQueue.metricApproximateNumberOfMessagesVisible({ period: METRIC_PERIOD })],
        [retryQueue.metricApproximateAgeOfOldestMessage({ period: METRIC_PERIOD })],
      ),
      widget('Dead-letter queue depth', [
        deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: METRIC_PERIOD }),
      ]),
      widget('Processing latency and event age (ms, p99)', [
        ours('kafka-consumer', MetricName.PROCESSING_LATENCY, 'p99'),
        ours('kafka-consumer', MetricName.EVENT_AGE, 'p99'),
      ]),
    );

    if (props.ingest) {
      const { api, fn } = props.ingest;
      this.dashboard.addWidgets(
        widget('Front door: events', [
          ours('ingest', MetricName.INGESTED),
          ours('ingest', MetricName.INGEST_REFUSED),
          ours('ingest', MetricName.INGEST_UNAVAILABLE),
        ]),
        widget(
          'Front door: requests, 4xx (throttled included), 5xx',
          [
            api.metricCount({ period: METRIC_PERIOD }),
            api.metricClientError({ period: METRIC_PERIOD }),
            api.metricServerError({ period: METRIC_PERIOD }),
          ],
          [fn.metricThrottles({ period: METRIC_PERIOD })],
        ),
        widget('Front door: latency p50 / p99 (ms)', [
          fn.metricDuration({ statistic: 'p50', period: METRIC_PERIOD }),
          fn.metricDuration({ statistic: 'p99', period: METRIC_PERIOD }),
        ]),
      );
    }

    const alarms = { ...DEFAULT_ALARM_THRESHOLDS, ...definedOnly(props.alarms ?? {}) };
    this.addAlarm('DeadLetterQueueNotEmpty', {
      metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        statistic: 'Maximum',
        period: METRIC_PERIOD,
      }),
      threshold: alarms.dlqThreshold,
      evaluationPeriods: 1,
      description:
        'Events are in the dead-letter queue: inspect them (eventpipe dlq list) and redrive when fixed.',
    });
    this.addAlarm('OffsetLagHigh', {
      metric: offsetLag,
      threshold: alarms.offsetLagThreshold,
      evaluationPeriods: LAG_EVALUATION_PERIODS,
      description: `The consumer is more than ${alarms.offsetLagThreshold} records behind for ${LAG_EVALUATION_PERIODS} minutes.`,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    for (const [name, fn] of [
      ['Consumer', consumer],
      ['RetryWorker', retryWorker],
    ] as const) {
      this.addAlarm(`${name}ErrorRate`, {
        metric: new MathExpression({
          expression: '100 * errors / MAX([invocations, 1])',
          usingMetrics: {
            errors: fn.metricErrors({ period: RATE_PERIOD }),
            invocations: fn.metricInvocations({ period: RATE_PERIOD }),
          },
          period: RATE_PERIOD,
          label: `${name} error rate (%)`,
        }),
        threshold: alarms.errorRatePercent,
        evaluationPeriods: RATE_EVALUATION_PERIODS,
        description: `More than ${alarms.errorRatePercent} % of ${name} invocations failed.`,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      });
    }
    this.addAlarm('ConsumerThrottles', {
      metric: consumer.metricThrottles({ period: RATE_PERIOD }),
      threshold: alarms.throttleThreshold,
      evaluationPeriods: RATE_EVALUATION_PERIODS,
      description: 'The consumer is throttled: the worker pool (reserved concurrency) is saturated.',
    });
    this.addAlarm('HandOffFailures', {
      metric: ours('kafka-consumer', MetricName.HAND_OFF_FAILURES),
      threshold: 1,
      evaluationPeriods: 1,
      description: 'Retry or dead-letter messages could not be written; batches are being redelivered.',
    });
    if (props.ingest) {
      this.addAlarm('IngestUnavailable', {
        metric: ours('ingest', MetricName.INGEST_UNAVAILABLE),
        threshold: 1,
        evaluationPeriods: 1,
        description:
          'The HTTP front door answered 503: the ingest function could not get Kafka to acknowledge (brokers, network or permissions).',
      });
    }

    if (props.notificationEmail) {
      this.topic = createAlarmTopic(this);
      this.topic.addSubscription(new EmailSubscription(props.notificationEmail));
      for (const alarm of this.alarms) alarm.addAlarmAction(new SnsAction(this.topic));
    }
  }

  private addAlarm(id: string, spec: AlarmSpec): void {
    this.alarms.push(
      new Alarm(this, id, {
        metric: spec.metric,
        threshold: spec.threshold,
        evaluationPeriods: spec.evaluationPeriods,
        comparisonOperator: spec.comparisonOperator ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: spec.description,
      }),
    );
  }
}

/** The entries whose value is set: an explicit `undefined` must not override a default. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The topic the alarms notify. Two grants let CloudWatch deliver, and both are needed:
 * - the customer key (SNS cannot use the AWS-managed key for a service publisher), and
 * - the topic policy: `enforceSSL` gives the topic a resource policy holding only the deny-non-TLS
 *   statement, and once a topic has a policy nothing else lets `cloudwatch.amazonaws.com` publish,
 *   so every notification would be dropped silently. The allow is scoped to this account's alarms
 *   in this region (`aws:SourceAccount`, `aws:SourceArn`) against the confused deputy.
 *   https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
 *   https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */
function createAlarmTopic(scope: Construct): Topic {
  const stack = Stack.of(scope);
  const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
  const key = new Key(scope, 'AlarmTopicKey', {
    enableKeyRotation: true,
    description: 'eventpipe alarm notifications',
  });
  key.grant(cloudWatch, 'kms:Decrypt', 'kms:GenerateDataKey*');
  const topic = new Topic(scope, 'AlarmTopic', { masterKey: key, enforceSSL: true });
  topic.addToResourcePolicy(
    new PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToPublish',
      principals: [cloudWatch],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: {
          'aws:SourceArn': stack.formatArn({
            service: 'cloudwatch',
            resource: 'alarm',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      },
    }),
  );
  return topic;
}

export type { AlarmThresholds, ObservabilityProps };
export { Observability };

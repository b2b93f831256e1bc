import { Duration } from 'aws-cdk-lib';

/** Metric resolution on the dashboard and for most alarms. */
const METRIC_PERIOD = Duration.minutes(1);
/** Error rate and throttles are judged over 5-minute windows, 3 in a row, to ride out blips. */
const RATE_PERIOD = Duration.minutes(5);
const RATE_EVALUATION_PERIODS = 3;
/** Lag must stay high for 5 minutes: Lambda's poller scaling takes up to 3 minutes to react. */
const LAG_EVALUATION_PERIODS = 5;
const DASHBOARD_WIDGET_WIDTH = 8;

/** Our EMF metrics' namespace and `service` dimension, as the functions publish them by default. */
const DEFAULT_METRICS_NAMESPACE = 'EventPipe';
const DEFAULT_SERVICE_NAME = 'eventpipe';
/** Alarm thresholds when not given: any dead letter, 10,000 records behind, 5 % errors, any throttle. */
const DEFAULT_ALARM_THRESHOLDS = {
  offsetLagThreshold: 10_000,
  errorRatePercent: 5,
  throttleThreshold: 1,
  dlqThreshold: 1,
} as const;

export {
  DASHBOARD_WIDGET_WIDTH,
  DEFAULT_ALARM_THRESHOLDS,
  DEFAULT_METRICS_NAMESPACE,
  DEFAULT_SERVICE_NAME,
  LAG_EVALUATION_PERIODS,
  METRIC_PERIOD,
  RATE_EVALUATION_PERIODS,
  RATE_PERIOD,
};

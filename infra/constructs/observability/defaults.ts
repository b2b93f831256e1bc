import { Duration } from 'aws-cdk-lib';
import { DeploymentFieldsSchema } from '#shared/config/deployment-settings.ts';
import { PIPELINE_SETTING_FIELDS } from '#shared/config/pipeline-settings.ts';

/** Over what time the dashboard shows metrics and the alarms judge them. */
const PERIODS = {
  /** Metric resolution on the dashboard and for most alarms. */
  metric: Duration.minutes(1),
  /** Error rate and throttles are judged over 5-minute windows, 3 in a row, to ride out blips. */
  rate: Duration.minutes(5),
  rateEvaluations: 3,
  /** Lag must stay high for 5 minutes: Lambda's poller scaling takes up to 3 minutes to react. */
  lagEvaluations: 5,
} as const;
const DASHBOARD_WIDGET_WIDTH = 8;

/** Our EMF metrics' namespace and `service` dimension, as the functions publish them by default. */
const DEFAULT_METRICS_NAMESPACE = PIPELINE_SETTING_FIELDS.metricsNamespace.parse(undefined);
const DEFAULT_SERVICE_NAME = PIPELINE_SETTING_FIELDS.serviceName.parse(undefined);
/** Alarm thresholds when not given: any dead letter, 10,000 records behind, 5 % errors, any throttle. */
const { notificationEmail: _noEmail, ...DEFAULT_ALARM_THRESHOLDS } =
  DeploymentFieldsSchema.shape.alarms.parse(undefined);

export {
  DASHBOARD_WIDGET_WIDTH,
  DEFAULT_ALARM_THRESHOLDS,
  DEFAULT_METRICS_NAMESPACE,
  DEFAULT_SERVICE_NAME,
  PERIODS,
};

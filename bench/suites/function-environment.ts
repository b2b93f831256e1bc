/**
 * The environment the bundled functions see in the benchmarks: what the stack sets for the default
 * settings (SQS retry queue and DLQ, a webhook route per event type), Lambda's own variables, and
 * the Powertools log level as deployed. Nothing is called at init, so the URLs need not exist.
 */
const FUNCTION_ENVIRONMENT: Readonly<Record<string, string>> = {
  AWS_REGION: 'eu-west-1',
  AWS_LAMBDA_FUNCTION_NAME: 'eventpipe-bench',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  EVENTPIPE_RETRY_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/eventpipe-retry',
  EVENTPIPE_DLQ_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/eventpipe-dlq',
  EVENTPIPE_DLQ_TARGET: 'sqs',
  EVENTPIPE_ROUTES: JSON.stringify({
    'order.placed': 'https://hooks.example.com/orders',
    'payment.captured': 'https://hooks.example.com/payments',
    'notification.requested': 'https://hooks.example.com/notifications',
  }),
  POWERTOOLS_LOG_LEVEL: 'INFO',
};

export { FUNCTION_ENVIRONMENT };

import { describe, expect, it } from 'vitest';
import { FunctionTimeoutError, invokeLocally, type LambdaContextLike } from '../../../../local/esm/invoke.ts';

describe('invokeLocally', () => {
  it('passes a context as Lambda builds it, with a fresh request id per invocation', async () => {
    // Prepare
    const seen: LambdaContextLike[] = [];
    const handler = async (_event: unknown, context: LambdaContextLike) => {
      seen.push(context);
      return context.getRemainingTimeInMillis();
    };
    // Act
    const remaining = await invokeLocally(handler, {}, { functionName: 'kafka-consumer', timeoutMs: 60_000 });
    await invokeLocally(
      handler,
      {},
      { functionName: 'kafka-consumer', timeoutMs: 60_000, memoryLimitInMB: 1024 },
    );
    // Assess
    expect(seen[0]).toMatchObject({
      functionName: 'kafka-consumer',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:kafka-consumer',
      memoryLimitInMB: '128',
      logGroupName: '/aws/lambda/kafka-consumer',
      awsRequestId: expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      ),
      logStreamName: expect.stringMatching(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/),
    });
    expect(seen[1]?.memoryLimitInMB).toBe('1024');
    expect(seen[1]?.awsRequestId).not.toBe(seen[0]?.awsRequestId);
    // One process plays one execution environment: its log stream stays.
    expect(seen[1]?.logStreamName).toBe(seen[0]?.logStreamName);
    expect(remaining).toBeGreaterThan(59_000);
    expect(remaining).toBeLessThanOrEqual(60_000);
  });

  it('fails with FunctionTimeoutError when the handler outlives the timeout', async () => {
    const hang = () => new Promise<never>(() => undefined);
    await expect(invokeLocally(hang, {}, { functionName: 'retry-worker', timeoutMs: 20 })).rejects.toThrow(
      new FunctionTimeoutError('retry-worker', 20),
    );
  });
});

import { SqsSchema } from '@aws-lambda-powertools/parser/schemas';
import type { Message } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { toSqsEvent } from '../../../../local/esm/sqs-event.ts';

const QUEUE_ARN = 'arn:aws:sqs:eu-west-1:000000000000:eventpipe-local-retry';

/** A message as ElasticMQ returns it to `ReceiveMessage` with every attribute asked for. */
const received: Message = {
  MessageId: '86ebe82a-0c5f-4e24-853e-f4483aee682f',
  ReceiptHandle: '86ebe82a-0c5f-4e24-853e-f4483aee682f#2bc59c26',
  MD5OfBody: '49f68a5c8493ec2c0bf489821c21fc3b',
  Body: 'hi',
  Attributes: {
    ApproximateFirstReceiveTimestamp: '1795774028142',
    SentTimestamp: '1795774028125',
    SenderId: '127.0.0.1',
    ApproximateReceiveCount: '1',
    AWSTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1',
  },
  MD5OfMessageAttributes: '305f2f5e1e7a1bed82609aeb8289ba4e',
  MessageAttributes: {
    b: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 255]) },
    n: { DataType: 'Number.int', StringValue: '5' },
    s: { DataType: 'String', StringValue: 'x' },
  },
};

describe('toSqsEvent', () => {
  it('builds the record as Lambda delivers it, message attributes and their MD5 included', () => {
    // Act
    const [record] = toSqsEvent([received], QUEUE_ARN, 'eu-west-1').Records;

    // Assess
    expect(record).toEqual({
      messageId: received.MessageId,
      receiptHandle: received.ReceiptHandle,
      body: 'hi',
      attributes: received.Attributes,
      messageAttributes: {
        b: { binaryValue: 'AQL/', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
        n: { stringValue: '5', stringListValues: [], binaryListValues: [], dataType: 'Number.int' },
        s: { stringValue: 'x', stringListValues: [], binaryListValues: [], dataType: 'String' },
      },
      md5OfBody: '49f68a5c8493ec2c0bf489821c21fc3b',
      md5OfMessageAttributes: '305f2f5e1e7a1bed82609aeb8289ba4e',
      eventSource: 'aws:sqs',
      eventSourceARN: QUEUE_ARN,
      awsRegion: 'eu-west-1',
    });
  });

  it('keeps the system attributes beyond the four every message has (X-Ray, redrive source)', () => {
    const message = {
      ...received,
      Attributes: { ...received.Attributes, DeadLetterQueueSourceArn: `${QUEUE_ARN}-source` },
    };
    const [record] = toSqsEvent([message], QUEUE_ARN, 'eu-west-1').Records;
    expect(record?.attributes).toMatchObject({
      AWSTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1',
      DeadLetterQueueSourceArn: `${QUEUE_ARN}-source`,
    });
  });

  it('leaves md5OfMessageAttributes out when the message has no attributes', () => {
    const { MD5OfMessageAttributes: _, MessageAttributes: __, ...bare } = received;
    const [record] = toSqsEvent([bare], QUEUE_ARN, 'eu-west-1').Records;
    expect(record).not.toHaveProperty('md5OfMessageAttributes');
    expect(record?.messageAttributes).toEqual({});
  });

  it("validates against Powertools' SqsSchema", () => {
    const event = toSqsEvent([received, { ...received, MessageId: 'm-2' }], QUEUE_ARN, 'eu-west-1');
    expect(SqsSchema.safeParse(event).error?.issues).toBeUndefined();
  });
});

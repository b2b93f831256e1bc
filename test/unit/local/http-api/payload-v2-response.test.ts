import { describe, expect, it } from 'vitest';
import { fromPayloadV2Result } from '../../../../local/http-api/payload-v2-response.ts';

// The response rules of payload format 2.0:
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
// ("Lambda function response format"), https://repost.aws/knowledge-center/api-gateway-status-codes-http-api
// (the inferred 200), aws-lambda-go events/apigw.go APIGatewayV2HTTPResponse and @types/aws-lambda
// APIGatewayProxyStructuredResultV2 (statusCode, headers, cookies, body, isBase64Encoded).
describe('fromPayloadV2Result', () => {
  it('uses a structured result as given: status, headers lower-cased, one Set-Cookie per cookie', () => {
    const answer = fromPayloadV2Result({
      statusCode: 503,
      headers: { 'Retry-After': 5, 'Content-Type': 'application/json' },
      cookies: ['a=1; Secure', 'b=2'],
      body: '{"message":"unavailable"}',
    });
    expect(answer.statusCode).toBe(503);
    expect(answer.headers).toEqual({
      'retry-after': '5',
      'content-type': 'application/json',
      'set-cookie': ['a=1; Secure', 'b=2'],
    });
    expect(answer.body.toString()).toBe('{"message":"unavailable"}');
  });

  it('decodes a base64 body', () => {
    const answer = fromPayloadV2Result({ statusCode: 200, body: 'AAEC/w==', isBase64Encoded: true });
    expect([...answer.body]).toEqual([0, 1, 2, 255]);
  });

  it('infers 200 and application/json for a result without statusCode', () => {
    const object = fromPayloadV2Result({ message: 'Hello from Lambda!' });
    expect(object.statusCode).toBe(200);
    expect(object.headers).toEqual({ 'content-type': 'application/json' });
    expect(object.body.toString()).toBe('{"message":"Hello from Lambda!"}');
    const text = fromPayloadV2Result('Hello from Lambda!');
    expect([text.statusCode, text.body.toString()]).toEqual([200, 'Hello from Lambda!']);
  });

  it('answers 502 for a result it cannot map', () => {
    expect(fromPayloadV2Result(undefined).statusCode).toBe(502);
    expect(fromPayloadV2Result({ statusCode: '202' }).statusCode).toBe(502);
    expect(fromPayloadV2Result({ statusCode: 99 }).body.toString()).toBe(
      '{"message":"Internal Server Error"}',
    );
  });
});

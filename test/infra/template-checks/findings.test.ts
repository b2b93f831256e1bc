import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryMatches, type Finding, type IgnoreEntry, parseCfnLint, parseCheckov } from './findings.ts';
import { synthVariants } from './synth-variants.ts';

const finding: Finding = {
  tool: 'checkov',
  variant: 'msk-iam-kafka-dlq',
  id: 'CKV_AWS_117',
  level: 'failed',
  resource: 'RetryRetryWorkerFunction8F0562C1',
  message: 'Ensure that AWS Lambda function is configured inside a VPC',
};
const entry: IgnoreEntry = {
  tool: 'checkov',
  id: 'CKV_AWS_117',
  reason: 'a reason long enough to pass the schema of the ignore file',
};

describe('entryMatches', () => {
  it('matches the tool and id everywhere when no variant or resource is named', () => {
    expect(entryMatches(entry, finding)).toBe(true);
    expect(entryMatches({ ...entry, tool: 'cfn-lint' }, finding)).toBe(false);
    expect(entryMatches({ ...entry, id: 'CKV_AWS_116' }, finding)).toBe(false);
  });

  it('applies only to the variants it names', () => {
    expect(entryMatches({ ...entry, variants: ['default'] }, finding)).toBe(false);
    expect(entryMatches({ ...entry, variants: ['default', 'msk-iam-kafka-dlq'] }, finding)).toBe(true);
  });

  it('matches resource patterns against the whole logical id, * being any run of characters', () => {
    expect(entryMatches({ ...entry, resources: ['RetryRetryWorkerFunction*'] }, finding)).toBe(true);
    expect(entryMatches({ ...entry, resources: ['RetryRetryWorker'] }, finding)).toBe(false);
    expect(entryMatches({ ...entry, resources: ['KafkaConsumerFunction*'] }, finding)).toBe(false);
    expect(entryMatches({ ...entry, resources: ['Retry.*'] }, finding)).toBe(false);
  });

  it('never matches a finding without a resource when resources are named', () => {
    expect(entryMatches({ ...entry, resources: ['*'] }, { ...finding, resource: undefined })).toBe(false);
  });
});

describe('parseCfnLint', () => {
  it('reads level, rule, variant and resource from the JSON format', () => {
    // Prepare
    const stdout = JSON.stringify([
      {
        Filename: 'cdk.out/variants/default/EventPipe.template.json',
        Level: 'Warning',
        Message: 'dependency already enforced',
        Location: { Path: ['Resources', 'KafkaConsumerFunctionD767BCC7', 'DependsOn'] },
        Rule: { Id: 'W3005' },
      },
      {
        Filename: 'cdk.out/variants/msk-scram/EventPipe.template.json',
        Level: 'Informational',
        Message: 'Prefer using Fn::Sub',
        Location: { Path: ['Outputs', 'DashboardUrl', 'Value'] },
        Rule: { Id: 'I1022' },
      },
    ]);
    // Act
    const findings = parseCfnLint(stdout);
    // Assess
    expect(findings).toEqual([
      {
        tool: 'cfn-lint',
        variant: 'default',
        id: 'W3005',
        level: 'warning',
        resource: 'KafkaConsumerFunctionD767BCC7',
        message: 'dependency already enforced',
      },
      {
        tool: 'cfn-lint',
        variant: 'msk-scram',
        id: 'I1022',
        level: 'informational',
        resource: undefined,
        message: 'Prefer using Fn::Sub',
      },
    ]);
  });
});

describe('parseCheckov', () => {
  it('counts results per variant and names failed resources by logical id', () => {
    // Prepare
    const result = (variant: string, id: string, resource: string) => ({
      check_id: id,
      check_name: `check ${id}`,
      file_path: `/cdk.out/variants/${variant}/EventPipe.template.json`,
      resource,
    });
    const report = {
      check_type: 'cloudformation',
      results: {
        passed_checks: [result('default', 'CKV_AWS_45', 'AWS::Lambda::Function.Consumer1')],
        failed_checks: [result('alarms-email', 'CKV_AWS_27', 'AWS::SQS::Queue.QueuesRetryQueue7832649F')],
        skipped_checks: [],
      },
    };
    // Act: checkov prints one report, or a list with one per framework
    const single = parseCheckov(JSON.stringify(report));
    const listed = parseCheckov(JSON.stringify([report]));
    // Assess
    expect(listed).toEqual(single);
    expect(single.get('default')).toEqual({ passed: 1, failed: [], skipped: 0 });
    expect(single.get('alarms-email')?.failed).toEqual([
      {
        tool: 'checkov',
        variant: 'alarms-email',
        id: 'CKV_AWS_27',
        level: 'failed',
        resource: 'QueuesRetryQueue7832649F',
        message: 'check CKV_AWS_27',
      },
    ]);
  });
});

describe('synthVariants', () => {
  it('synthesizes every variant of the matrix, functions pointing at S3 assets of the fixed account and region', () => {
    // Act
    const results = synthVariants(mkdtempSync(join(tmpdir(), 'eventpipe-variants-')));
    // Assess
    expect(results.filter((r) => r.error)).toEqual([]);
    expect(results.map((r) => r.name)).toContain('default');
    for (const { name, templatePath } of results) {
      const template = JSON.parse(readFileSync(templatePath as string, 'utf8')) as {
        Resources: Record<string, { Type: string; Properties: { Code?: unknown } }>;
      };
      const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
      // The consumer and the retry worker; with the front door on, the ingest function too.
      expect(functions).toHaveLength(name.includes('ingest') ? 3 : 2);
      for (const fn of functions) {
        expect(fn.Properties.Code).toEqual({
          S3Bucket: 'cdk-hnb659fds-assets-123456789012-eu-west-1',
          S3Key: expect.stringMatching(/^[0-9a-f]{64}\.zip$/),
        });
      }
    }
  }, 120_000);
});

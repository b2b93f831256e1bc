import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import { eventTypes } from '#shared/events/index.ts';
import type { EventRegistry } from '#shared/events/registry.ts';
import type { DeadLetter, KafkaCoordinates } from '#shared/pipeline/messages.ts';
import type { Processor } from '#shared/pipeline/ports.ts';
import { peekDeadLetters, releaseLetters } from '../../local/dlq/dead-letter-reader.ts';
import { queueDepth } from '../../local/local-sqs-client.ts';
import { generateEvent } from '../../local/produce/event-generator.ts';
import { scenarioTest } from '../helpers/e2e-scenario.ts';
import { endpoints } from '../helpers/local-stack.ts';
import { writeReport } from './report.ts';

/**
 * An independent producer, end to end: kcat (librdkafka, no code shared with our client) writes
 * records with every compression codec, UTF-8 and binary headers, a header without a value,
 * tombstones and every kind of key; the local runtime — the real Kafka ESM emulator and handlers —
 * must settle each one (processed, or dead-lettered with its reason) without crashing.
 */

const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
type Codec = (typeof CODECS)[number];
const PARTITIONS = 3;
const DRAIN_TIMEOUT_MS = 60_000;

/** The binary header's bytes (0xff 0x80 0x01) and the binary key's (0xff 0x00 0x80 0x01). */
const BINARY_HEADER = Buffer.from([0xff, 0x80, 0x01]);
const BINARY_KEY = Buffer.from([0xff, 0x00, 0x80, 0x01]);
/** Headers of the first kcat call per codec; `bin` is given as bytes by bash (argv cannot carry them from Node). */
const HEADERS_SENT = { city: 'Zürich', 'x-flag': '', bin: `base64:${BINARY_HEADER.toString('base64')}` };
/** Headers of the tombstone call. */
const TOMBSTONE_HEADERS = { 'x-flag': '', origin: 'kcat' };

type KeyKind = 'text' | 'none' | 'empty' | 'binary';
const KEY_KINDS: readonly KeyKind[] = ['text', 'none', 'empty', 'binary'];

/** Fails, never skips: without kcat this test proves nothing, so it must not pass. */
function requireKcat(): void {
  try {
    execFileSync('kcat', ['-V'], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(
      'kcat is not installed: run `source scripts/ensure-kcat.sh` (npm test does) or install the Debian package kcat',
      { cause: error },
    );
  }
}

/**
 * Runs kcat as a producer. The binary header goes through bash's `$'\xNN'` quoting, the only way to
 * put bytes that are not UTF-8 into an argument.
 */
function kcat(
  topic: string,
  codec: Codec,
  options: { binaryHeader: boolean; nullEmpty: boolean },
  headers: string[],
  input: Buffer,
): void {
  const args = ['-P', '-b', endpoints.kafkaBrokers.join(','), '-t', topic, '-K', '\t', '-z', codec];
  if (options.nullEmpty) args.push('-Z');
  for (const header of headers) args.push('-H', header);
  const binary = options.binaryHeader
    ? ` -H $'bin=${[...BINARY_HEADER].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('')}'`
    : '';
  execFileSync('bash', ['-c', `exec kcat "$@"${binary}`, 'kcat', ...args], {
    input,
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: 30_000,
  });
}

function line(key: Buffer | null, value: string): Buffer {
  return Buffer.concat([
    ...(key === null ? [] : [key, Buffer.from('\t')]),
    Buffer.from(value),
    Buffer.from('\n'),
  ]);
}

function keyBytes(kind: KeyKind, codec: Codec): Buffer | null {
  if (kind === 'none') return null;
  if (kind === 'empty') return Buffer.alloc(0);
  if (kind === 'binary') return BINARY_KEY;
  return Buffer.from(`ev-${codec}`);
}

describe('kcat as producer', () => {
  scenarioTest(
    'every codec, header and key kind is settled: processed or dead-lettered with its reason',
    async ({ scenario }) => {
      requireKcat();
      // Prepare: the product's event types with an in-process processor that records where each
      // event came from (its Kafka coordinates, headers decoded by the handler)
      const { run, sqs } = scenario;
      const processed = new Map<string, KafkaCoordinates>();
      const recordSource: Processor = async (event, context) => {
        processed.set(event.id, context.source);
      };
      const registry: EventRegistry = Object.fromEntries(
        Object.entries(eventTypes).map(([type, definition]) => [
          type,
          { ...definition, process: recordSource },
        ]),
      );
      const settings = scenario.settings({
        batchSize: 20,
        reservedConcurrency: 3,
        maxAttempts: 2,
        backoffBaseSeconds: 1,
        backoffCapSeconds: 2,
      });
      await scenario.createTopic(PARTITIONS);
      // What the emulator reports (a failing stream, refused commits) explains a failure below
      const emulatorLog: string[] = [];
      const logger = {
        info: () => undefined,
        warn: (message: string) => emulatorLog.push(message),
        error: (message: string) => emulatorLog.push(message),
      };
      const runtime = await scenario.startRuntime({ settings, registry, partitions: PARTITIONS, logger });
      const started = Date.now();
      // Act: per codec, one kcat call with three headers (UTF-8, no value, binary) carrying four
      // valid events (one per kind of key), a value that is not JSON and an empty value; then one
      // call with -Z whose empty value is a tombstone
      const expectedProcessed = new Map<string, { codec: Codec; keyKind: KeyKind }>();
      let index = 0;
      for (const codec of CODECS) {
        const lines: Buffer[] = [];
        for (const keyKind of KEY_KINDS) {
          const event = generateEvent(index++, {
            runId: run,
            keyCardinality: 10,
            payloadBytes: 200,
            invalidShare: 0,
          });
          expectedProcessed.set(event.id, { codec, keyKind });
          lines.push(line(keyBytes(keyKind, codec), event.value));
        }
        lines.push(line(Buffer.from(`nj-${codec}`), 'not json'));
        lines.push(line(Buffer.from(`ev-empty-${codec}`), ''));
        kcat(
          run,
          codec,
          { binaryHeader: true, nullEmpty: false },
          ['city=Zürich', 'x-flag'],
          Buffer.concat(lines),
        );
        kcat(
          run,
          codec,
          { binaryHeader: false, nullEmpty: true },
          ['x-flag', 'origin=kcat'],
          line(Buffer.from(`t-${codec}`), ''),
        );
      }
      const produced = index + CODECS.length * 3;

      // Wait until every record is settled and committed
      const deadline = Date.now() + DRAIN_TIMEOUT_MS;
      let dead = 0;
      while (Date.now() < deadline) {
        dead = await queueDepth(sqs, runtime.queues.dlqUrl);
        if (
          processed.size >= expectedProcessed.size &&
          dead >= CODECS.length * 3 &&
          runtime.kafkaEsm.stats.recordsCommitted >= produced
        )
          break;
        await sleep(250);
      }
      const settledMs = Date.now() - started;
      const peeked = await peekDeadLetters(sqs, runtime.queues.dlqUrl, 100);
      await releaseLetters(sqs, runtime.queues.dlqUrl, peeked);
      const letters = peeked.flatMap(({ letter }) => (letter ? [letter] : []));

      // Assess: nothing crashed, every record was committed
      const log = emulatorLog.slice(0, 5).join('\n');
      expect(runtime.kafkaEsm.stats.failedInvocations, log).toBe(0);
      expect(runtime.kafkaEsm.stats.recordsCommitted, log).toBe(produced);

      // Assess: every valid event processed once, with its key and its headers decoded
      expect([...processed.keys()].sort()).toEqual([...expectedProcessed.keys()].sort());
      for (const [id, { codec, keyKind }] of expectedProcessed) {
        const source = processed.get(id);
        expect(source?.headers, `${id} (${codec}, ${keyKind} key)`).toEqual(HEADERS_SENT);
        const key = keyBytes(keyKind, codec);
        expect(source?.keyBase64, `${id} (${codec}, ${keyKind} key)`).toBe(
          key === null ? null : key.toString('base64'),
        );
        expect(source?.key).toBe(keyKind === 'text' ? `ev-${codec}` : null);
        expect(source?.timestampType).toBe('CREATE_TIME');
      }

      // Assess: the rest dead-lettered at decode with their reason, raw payload and headers kept
      expect(letters).toHaveLength(CODECS.length * 3);
      const byKey = new Map<string, DeadLetter>(letters.map((letter) => [letter.source.key ?? '', letter]));
      for (const codec of CODECS) {
        const tombstone = byKey.get(`t-${codec}`);
        expect(tombstone?.failure).toMatchObject({ stage: 'decode', errorName: 'DecodeError' });
        expect(tombstone?.failure.message).toMatch(/^tombstone/);
        expect(tombstone?.raw).toEqual({
          keyBase64: Buffer.from(`t-${codec}`).toString('base64'),
          valueBase64: null,
        });
        expect(tombstone?.source.headers).toEqual(TOMBSTONE_HEADERS);

        const notJson = byKey.get(`nj-${codec}`);
        expect(notJson?.failure).toMatchObject({ stage: 'decode', errorName: 'DecodeError' });
        expect(notJson?.failure.message).toMatch(/not valid JSON/);
        expect(notJson?.raw?.valueBase64).toBe(Buffer.from('not json').toString('base64'));
        expect(notJson?.source.headers).toEqual(HEADERS_SENT);

        // An empty value is not a tombstone (kcat sends it as "" without -Z): it fails as JSON
        const empty = byKey.get(`ev-empty-${codec}`);
        expect(empty?.failure).toMatchObject({ stage: 'decode', errorName: 'DecodeError' });
        expect(empty?.failure.message).toMatch(/not valid JSON/);
        expect(empty?.raw?.valueBase64).toBe('');
      }

      writeReport('e2e-kcat-producer', {
        records: produced,
        codecs: CODECS,
        processed: processed.size,
        deadLettered: letters.length,
        settledSeconds: settledMs / 1_000,
        invocations: runtime.kafkaEsm.stats.invocations,
        failedInvocations: runtime.kafkaEsm.stats.failedInvocations,
        eventSource: settings.source.kind,
        dlqDepthSeen: dead,
      });
    },
  );
});

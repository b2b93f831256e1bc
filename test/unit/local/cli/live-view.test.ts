import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type LiveSnapshot, liveViewWriter, renderLiveView } from '../../../../local/cli/live-view.ts';

const snapshot: LiveSnapshot = {
  elapsedSeconds: 3,
  consumer: { Received: 10, Processed: 9 },
  worker: {},
  retryQueueDepth: 1,
  dlqDepth: 0,
  lag: 0,
  eventsPerSecond: 3,
  inFlight: 1,
  maxInFlight: 2,
  reservedConcurrency: 4,
  buffered: 0,
  delivered: 9,
  duplicates: 0,
};

function fakeStream(tty: boolean): { stream: NodeJS.WriteStream; output: () => string } {
  const stream = Object.assign(new PassThrough(), { isTTY: tty, columns: 120, rows: 40 });
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { stream: stream as unknown as NodeJS.WriteStream, output: () => text };
}

describe('liveViewWriter', () => {
  it('redraws in place on a terminal, erasing only the previous frame', () => {
    // Prepare
    const { stream, output } = fakeStream(true);
    const view = liveViewWriter(stream, true);
    // Act
    view.draw(snapshot);
    view.draw({ ...snapshot, elapsedSeconds: 4 });
    view.done();
    view.draw({ ...snapshot, elapsedSeconds: 5 });
    // Assess
    expect(output()).toContain('local runtime (4 s)');
    expect(output()).toContain('\x1b[2K'); // erase line
    expect(output()).not.toContain('\x1b[2J'); // never the whole screen
    expect(output()).not.toContain('local runtime (5 s)');
  });

  it('writes frame after frame when not a terminal, and nothing after done', () => {
    const { stream, output } = fakeStream(false);
    const view = liveViewWriter(stream, false);
    view.draw(snapshot);
    view.draw({ ...snapshot, elapsedSeconds: 4 });
    view.done();
    view.draw({ ...snapshot, elapsedSeconds: 5 });
    expect(output().match(/local runtime/g)).toHaveLength(2);
    expect(output()).not.toContain('\x1b[');
  });
});

describe('renderLiveView', () => {
  it('shows the front door: events ingested and refused, requests by status', () => {
    const frame = renderLiveView({
      ...snapshot,
      frontDoor: {
        url: 'http://127.0.0.1:8787',
        ingested: 1_515,
        refusedEvents: 11,
        requestsByStatus: { '202': 153, '400': 3, '429': 154 },
      },
    });
    expect(frame).toContain(
      'front door http://127.0.0.1:8787/events   ingested 1,515 events   refused events 11',
    );
    expect(frame).toContain('requests   202 ×153   refused: 400 ×3  429 ×154');
    expect(renderLiveView(snapshot)).not.toContain('front door');
  });
});

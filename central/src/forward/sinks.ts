import { createHmac } from 'node:crypto';
import type { StoredEvent } from '../events/store.js';
import { classifyNetworkError, classifyResponse, type Outcome } from './delivery.js';

// Where accepted events are forwarded: an OpenTelemetry OTLP/HTTP logs endpoint or a webhook.

export interface SinkTarget {
  name: 'otlp' | 'webhook';
  minSeverity: string;
  send(events: StoredEvent[], attempt: number): Promise<Outcome>;
}

const OTEL_SEVERITY: Record<string, [number, string]> = {
  info: [9, 'INFO'],
  low: [13, 'WARN'],
  medium: [14, 'WARN2'],
  high: [17, 'ERROR'],
  critical: [21, 'FATAL']
};

type AnyValue = { stringValue: string } | { intValue: string } | { boolValue: boolean };
const attr = (key: string, v: unknown): { key: string; value: AnyValue } | undefined => {
  if (v === null || v === undefined) {
    return undefined;
  }
  if (typeof v === 'boolean') {
    return { key, value: { boolValue: v } };
  }
  if (typeof v === 'number' && Number.isInteger(v)) {
    return { key, value: { intValue: String(v) } };
  }
  return { key, value: { stringValue: String(v) } };
};

/** Pure: events as one OTLP/HTTP JSON ExportLogsServiceRequest. */
export function toOtlpLogs(events: StoredEvent[]) {
  return {
    resourceLogs: [
      {
        resource: { attributes: [attr('service.name', 'jupyter-warden-central')] },
        scopeLogs: [
          {
            scope: { name: 'jupyter-warden', version: '1' },
            logRecords: events.map(e => {
              const [severityNumber, severityText] = OTEL_SEVERITY[String(e.severity)] ?? [
                0,
                'UNSPECIFIED'
              ];
              const loc = (e.location ?? {}) as Record<string, unknown>;
              return {
                timeUnixNano: String(BigInt(Date.parse(String(e.time))) * 1_000_000n),
                observedTimeUnixNano: String(BigInt(Date.parse(e.received_at)) * 1_000_000n),
                severityNumber,
                severityText,
                eventName: 'warden.finding',
                body: { stringValue: String(e.message ?? e.rule_id) },
                attributes: [
                  attr('warden.event_id', e.event_id),
                  attr('warden.rule_id', e.rule_id),
                  attr('warden.kind', e.kind),
                  attr('warden.severity', e.severity),
                  attr('warden.action', e.action),
                  attr('warden.fingerprint', e.fingerprint),
                  attr('warden.lab', e.lab),
                  attr('user.name', e.user),
                  attr('code.filepath', loc.path),
                  attr('warden.cell_id', loc.cell_id),
                  attr('code.lineno', loc.line),
                  attr('warden.evidence', e.evidence ? JSON.stringify(e.evidence) : undefined)
                ].filter(Boolean)
              };
            })
          }
        ]
      }
    ]
  };
}

async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  attempt: number,
  timeoutMs: number
) {
  try {
    const res = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...headers },
      signal: AbortSignal.timeout(timeoutMs)
    });
    const text = await res.text().catch(() => '');
    return {
      res,
      text,
      outcome: classifyResponse(res.status, res.headers.get('retry-after'), attempt)
    };
  } catch (err) {
    return { res: undefined, text: '', outcome: classifyNetworkError(err, attempt) };
  }
}

export function otlpSink(
  endpoint: string,
  minSeverity: string,
  headers: Record<string, string> = {},
  timeoutMs = 10_000
): SinkTarget {
  const url = /\/v1\/logs\/?$/.test(endpoint)
    ? endpoint
    : endpoint.replace(/\/+$/, '') + '/v1/logs';
  return {
    name: 'otlp',
    minSeverity,
    async send(events, attempt) {
      const { res, text, outcome } = await post(
        url,
        JSON.stringify(toOtlpLogs(events)),
        headers,
        attempt,
        timeoutMs
      );
      if (res && outcome.kind === 'done') {
        // A partial success is final: the receiver has said what it refused and why.
        try {
          const ps = text ? JSON.parse(text).partialSuccess : undefined;
          if (ps && (Number(ps.rejectedLogRecords ?? 0) > 0 || ps.errorMessage)) {
            return {
              kind: 'done',
              note:
                `partial success: ${ps.rejectedLogRecords ?? 0} rejected: ` +
                String(ps.errorMessage ?? '').slice(0, 200)
            };
          }
        } catch {
          /* a 2xx without a JSON body is a full success */
        }
      }
      return outcome;
    }
  };
}

export function webhookSink(
  url: string,
  minSeverity: string,
  secret?: string,
  timeoutMs = 10_000
): SinkTarget {
  return {
    name: 'webhook',
    minSeverity,
    async send(events, attempt) {
      const body = JSON.stringify({ source: 'jupyter-warden-central', events });
      const headers: Record<string, string> = {};
      // Lets the receiver check the payload came from this service.
      if (secret) {
        headers['x-warden-signature'] =
          'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
      }
      return (await post(url, body, headers, attempt, timeoutMs)).outcome;
    }
  };
}

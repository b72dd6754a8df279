import { Client, Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { temporal as proto } from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_KEYS } from '../../workflows/definitions';
import { deadlineBoundRetries } from './grpc-retry';

export interface TemporalSettings {
  address?: string;
  namespace: string;
  /** Temporal Cloud's API key; implies TLS. */
  apiKey?: string;
  tls?: boolean;
}

/** Address, TLS and API key as both Connection (client) and NativeConnection (worker) take them. */
export const connectionOptions = ({ address, apiKey, tls }: TemporalSettings) => ({
  address: address ?? 'localhost:7233',
  ...(tls || apiKey ? { tls: true } : {}),
  ...(apiKey ? { apiKey } : {}),
});

/** Lazy, so the API starts (and answers 503) while Temporal is still down, and recovers by itself. */
export function createTemporalClient(settings: TemporalSettings): Client {
  // gRPC's reconnect backoff grows to 2 minutes by default; 5 s lets the API recover soon after Temporal returns.
  const connection = Connection.lazy({
    ...connectionOptions(settings),
    channelArgs: { 'grpc.max_reconnect_backoff_ms': 5_000 },
    interceptors: [deadlineBoundRetries()],
  });
  return new Client({ connection, namespace: settings.namespace });
}

const INDEXED_TYPE: Record<string, proto.api.enums.v1.IndexedValueType> = {
  [SearchAttributeType.KEYWORD]: proto.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
};

/** Registers our search attributes on a cluster that lacks them (the dev server is started with them). */
export async function ensureSearchAttributes(client: Client): Promise<void> {
  const { namespace } = client.options;
  const existing = await client.connection.operatorService.listSearchAttributes({ namespace });
  const missing = SEARCH_ATTRIBUTE_KEYS.filter((key) => !(key.name in (existing.customAttributes ?? {})));
  if (missing.length === 0) return;
  try {
    await client.connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((key) => [key.name, INDEXED_TYPE[key.type]])),
    });
  } catch (err) {
    const names = missing.map((key) => `${key.name}=Keyword`).join(', ');
    throw new Error(
      `Temporal namespace ${namespace} lacks the search attributes ${names} and they could not be added: ${(err as Error).message}`,
    );
  }
}

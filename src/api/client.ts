/**
 * The lab server's /warden endpoints, called with JupyterLab's own authenticated connection.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/** Thrown when a /warden endpoint answers with an error status. */
export class WardenApiError extends Error {
  constructor(
    readonly endpoint: string,
    readonly status: number,
    message: string
  ) {
    super(`Warden ${endpoint}: ${status} ${message}`);
  }
}

/** Call `/warden/<endpoint>` and parse its JSON reply. */
export async function requestWarden<T>(
  endpoint: string,
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const url = URLExt.join(settings.baseUrl, 'warden', endpoint);
  const response = await ServerConnection.makeRequest(url, init, settings);
  const text = await response.text();
  if (!response.ok) {
    let message = response.statusText;
    try {
      message = JSON.parse(text).message ?? message;
    } catch {
      // not JSON: keep the status text
    }
    throw new WardenApiError(endpoint, response.status, message);
  }
  return (text ? JSON.parse(text) : {}) as T;
}

/** Developer commands are registered only for a page opened with `?warden-dev=1`. */
export function devCommandsWanted(search: string): boolean {
  return new URLSearchParams(search).get('warden-dev') === '1';
}

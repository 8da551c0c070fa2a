/**
 * The paths pip or uv may open for a local find-links or index location (the static twin of
 * the kernel's `installs/installer_paths.py`, `location`).
 *
 * A relative location named in a requirements file or a uv config is not taken from the
 * working folder alone: pip 23.2 (`req_file.handle_option_line`) joins a file's find-links to
 * the file's folder when that path exists, else keeps it relative to the working folder; uv
 * takes a file's value from the file's folder (a uv config's from the config's folder). Which
 * one is opened thus depends on the file system at the installer's own time, so every path
 * either may open is read, the naming file's folder first (more read costs a refusal at
 * worst). A `file:` value is also read at the URL's path (red team 44a R44a-3: pip and uv
 * test it as a path before reading its scheme).
 */
import * as path from 'node:path';

/** The paths an installer may open for the local location `text` (neither an http(s) URL
 * nor another host's `file:` URL), given from `cwd` and, when a file named it, from that
 * file's folder `base`; null when a `file:` URL names another host. */
export function locationPaths(
  text: string,
  cwd: string,
  base?: string
): string[] | null {
  const found: string[] = [];
  const add = (p: string) => {
    if (!found.includes(p)) {
      found.push(p);
    }
  };
  if (/^file:/i.test(text)) {
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      return []; // decided as unreadable
    }
    if (parsed.host !== '' && parsed.host !== 'localhost') {
      return null;
    }
    try {
      add(decodeURIComponent(parsed.pathname));
    } catch {
      add(parsed.pathname); // a stray `%`: kept as written, as Python's unquote keeps it
    }
  }
  for (const folder of [base, cwd]) {
    if (folder) {
      add(path.resolve(folder, text));
    }
  }
  return found;
}

// Pure: the versions a policy's advisories (`dependencies.advisories`) place installs against,
// checked as the labs' kernels will read them. A range bound (introduced / fixed /
// last_affected) that is not a PEP 440 version makes every kernel refuse every install under
// the policy ("the policy's advisories cannot be read"), and a listed version that is not one
// never matches an install: the shared `advisory_version` reason (schema/vectors/
// policy-validity.json), so central refuses both when the policy is saved (400, field named)
// and a lab refuses such a document too. The schema's pattern only limits the characters.
//
// The grammar is PEP 440's, as the kernel's installs/versions.py and warden-scan's
// src/deps/versions.ts read it (central cannot import either; the three are held together by
// the kernel/static tests and central/test/advisory-versions.test.ts).

/** One unreadable version, in the shape of validity.ts's PolicyProblem (which calls this). */
export interface AdvisoryVersionProblem {
  code: 'advisory_version';
  path: string;
  message: string;
}

const PEP440 = new RegExp(
  [
    '^v?(?:(\\d+)!)?(\\d+(?:\\.\\d+)*)', // epoch, release
    '(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\\d*))?', // pre-release
    '(?:(?:-(\\d+))|(?:[-_.]?(post|rev|r)[-_.]?(\\d*)))?', // post-release
    '(?:[-_.]?(dev)[-_.]?(\\d*))?', // dev release
    '(?:\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?$' // local version
  ].join('')
);

/** Whether `text` is a version the kernel can place (PEP 440, as `version_key` reads it). */
export function isPep440(text: string): boolean {
  return PEP440.test(text.trim().toLowerCase());
}

const RANGE_TYPES = new Set(['ECOSYSTEM', 'SEMVER']); // the kernel places versions in these

/** A problem for each advisory version the kernels could not read; [] when all are readable.
 * Call it on a document the policy schema accepted (the shape is then known). */
export function advisoryVersionProblems(doc: unknown): AdvisoryVersionProblem[] {
  const records = (doc as { dependencies?: { advisories?: unknown } })?.dependencies?.advisories;
  if (!Array.isArray(records)) {
    return [];
  }
  const out: AdvisoryVersionProblem[] = [];
  records.forEach((record, i) => {
    const id = String(record?.id ?? '');
    const affected: unknown[] = Array.isArray(record?.affected) ? record.affected : [];
    affected.forEach((a: any, j) => {
      const at = `/dependencies/advisories/${i}/affected/${j}`;
      const ranges: any[] = Array.isArray(a?.ranges) ? a.ranges : [];
      ranges.forEach((range, k) => {
        if (!RANGE_TYPES.has(String(range?.type))) {
          return;
        }
        const events: any[] = Array.isArray(range?.events) ? range.events : [];
        events.forEach((event, m) => {
          for (const [kind, value] of Object.entries(event ?? {})) {
            if (typeof value !== 'string' || !isPep440(value)) {
              out.push({
                code: 'advisory_version',
                path: `${at}/ranges/${k}/events/${m}/${kind}`,
                message:
                  `advisory ${id}: the ${kind} bound ${JSON.stringify(value)} is not a PEP 440 ` +
                  'version; every lab would refuse every install under this policy'
              });
            }
          }
        });
      });
      const versions: unknown[] = Array.isArray(a?.versions) ? a.versions : [];
      versions.forEach((value, k) => {
        if (typeof value !== 'string' || !isPep440(value)) {
          out.push({
            code: 'advisory_version',
            path: `${at}/versions/${k}`,
            message:
              `advisory ${id}: the listed version ${JSON.stringify(value)} is not a PEP 440 ` +
              'version and would never match an install'
          });
        }
      });
    });
  });
  return out;
}

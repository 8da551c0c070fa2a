/**
 * Write or remove the lab's admin policy file, as an admin would on the lab server's disk.
 */
import * as fs from 'fs';
import * as path from 'path';

export const ADMIN_POLICY =
  process.env.WARDEN_UI_ADMIN_POLICY ??
  path.join(__dirname, '..', '..', '.admin-policy', 'policy.json');

export function writeAdminPolicy(policy: unknown): void {
  fs.mkdirSync(path.dirname(ADMIN_POLICY), { recursive: true });
  const text =
    typeof policy === 'string' ? policy : JSON.stringify(policy, null, 2);
  fs.writeFileSync(ADMIN_POLICY, text);
}

export function removeAdminPolicy(): void {
  fs.rmSync(ADMIN_POLICY, { force: true });
}

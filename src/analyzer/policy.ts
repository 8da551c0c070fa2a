/** Analyzer options from a policy document (schema/policy.schema.json, trusted_sources). */
import type { IPolicyDocument } from '../contracts';
import type { AnalyzerOptions } from './types';

export type PolicyTrustedSources = Pick<IPolicyDocument, 'trusted_sources'>;

/** Lists the policy leaves out keep the analyzer's defaults (PyPI, huggingface.co). */
export function optionsFromPolicy(
  policy: PolicyTrustedSources | null | undefined
): AnalyzerOptions {
  const sources = policy?.trusted_sources ?? {};
  const options: AnalyzerOptions = {};
  if (sources.package_indexes) {
    options.trustedIndexes = sources.package_indexes;
  }
  if (sources.model_hubs) {
    options.trustedModelHubs = sources.model_hubs;
  }
  return options;
}

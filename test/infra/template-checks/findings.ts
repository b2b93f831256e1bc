import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';

const IGNORE_FILE = join(import.meta.dirname, 'ignore.json');

/** One result of either tool, reduced to what the report and the ignore file need. */
interface Finding {
  readonly tool: 'cfn-lint' | 'checkov';
  readonly variant: string;
  readonly id: string;
  /** cfn-lint: Error, Warning or Informational; checkov: failed. */
  readonly level: 'error' | 'warning' | 'informational' | 'failed';
  /** The logical id, when the finding is about a resource. */
  readonly resource?: string;
  readonly message: string;
}

const IgnoreEntrySchema = z.strictObject({
  tool: z.enum(['cfn-lint', 'checkov']),
  id: z
    .string()
    .regex(/^([EWI]\d{4}|CKV2?_[A-Z0-9_]+)$/, 'a cfn-lint rule (E1234) or a checkov check (CKV_AWS_12)'),
  /** @default - every variant */
  variants: z.array(z.string().min(1)).min(1).optional(),
  /** Logical-id patterns, `*` for any run of characters. @default - every resource */
  resources: z.array(z.string().min(1)).min(1).optional(),
  reason: z.string().min(40, 'say why this is not a problem in our stack'),
});
const IgnoreFileSchema = z.object({ $comment: z.string().optional(), ignores: z.array(IgnoreEntrySchema) });
type IgnoreEntry = z.infer<typeof IgnoreEntrySchema>;

/** `*` matches any run of characters; everything else literally. */
function patternMatches(pattern: string, value: string): boolean {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`).test(value);
}

function entryMatches(entry: IgnoreEntry, finding: Finding): boolean {
  return (
    entry.tool === finding.tool &&
    entry.id === finding.id &&
    (entry.variants?.includes(finding.variant) ?? true) &&
    (entry.resources === undefined ||
      (finding.resource !== undefined &&
        entry.resources.some((pattern) => patternMatches(pattern, finding.resource as string))))
  );
}

/** The ignore file, validated; entries naming unknown variants are an error, not a silent no-op. */
function loadIgnores(variants: readonly string[]): IgnoreEntry[] {
  const { ignores } = IgnoreFileSchema.parse(JSON.parse(readFileSync(IGNORE_FILE, 'utf8')));
  const unknown = ignores.flatMap((entry) => (entry.variants ?? []).filter((v) => !variants.includes(v)));
  if (unknown.length > 0) throw new Error(`${IGNORE_FILE}: unknown variants ${unknown.join(', ')}`);
  return ignores;
}

/** The variant a template belongs to: its folder, `<outDir>/<variant>/EventPipe.template.json`. */
function variantOf(templatePath: string): string {
  return basename(dirname(templatePath));
}

const CfnLintOutputSchema = z.array(
  z.object({
    Filename: z.string(),
    Level: z.enum(['Error', 'Warning', 'Informational']),
    Message: z.string(),
    Location: z.object({ Path: z.array(z.union([z.string(), z.number()])).nullish() }),
    Rule: z.object({ Id: z.string() }),
  }),
);
const CFN_LINT_LEVEL = { Error: 'error', Warning: 'warning', Informational: 'informational' } as const;

/** cfn-lint's `--format json` output as findings. */
function parseCfnLint(stdout: string): Finding[] {
  return CfnLintOutputSchema.parse(JSON.parse(stdout)).map((match) => {
    const path = match.Location.Path ?? [];
    return {
      tool: 'cfn-lint',
      variant: variantOf(match.Filename),
      id: match.Rule.Id,
      level: CFN_LINT_LEVEL[match.Level],
      resource: path[0] === 'Resources' && typeof path[1] === 'string' ? path[1] : undefined,
      message: match.Message,
    };
  });
}

const CheckovResultSchema = z.object({
  check_id: z.string(),
  check_name: z.string(),
  file_path: z.string(),
  resource: z.string(),
});
const CheckovReportSchema = z.object({
  check_type: z.string(),
  results: z.object({
    passed_checks: z.array(CheckovResultSchema),
    failed_checks: z.array(CheckovResultSchema),
    skipped_checks: z.array(CheckovResultSchema),
  }),
});

interface CheckovCounts {
  passed: number;
  failed: Finding[];
  /** Skipped by checkov itself (inline skips; the stack has none). */
  skipped: number;
}

/**
 * checkov's `-o json` output (one report, or a list of them per framework) as counts and failed
 * findings per variant. checkov names resources `AWS::SQS::Queue.LogicalId`.
 */
function parseCheckov(stdout: string): Map<string, CheckovCounts> {
  const raw = JSON.parse(stdout) as unknown;
  const reports = z.array(CheckovReportSchema).parse(Array.isArray(raw) ? raw : [raw]);
  const byVariant = new Map<string, CheckovCounts>();
  const countsOf = (filePath: string) => {
    const variant = variantOf(filePath);
    const counts = byVariant.get(variant) ?? { passed: 0, failed: [], skipped: 0 };
    byVariant.set(variant, counts);
    return counts;
  };
  for (const { results } of reports) {
    for (const result of results.passed_checks) countsOf(result.file_path).passed += 1;
    for (const result of results.skipped_checks) countsOf(result.file_path).skipped += 1;
    for (const result of results.failed_checks) {
      countsOf(result.file_path).failed.push({
        tool: 'checkov',
        variant: variantOf(result.file_path),
        id: result.check_id,
        level: 'failed',
        resource: result.resource.split('.').slice(1).join('.') || undefined,
        message: result.check_name,
      });
    }
  }
  return byVariant;
}

export type { CheckovCounts, Finding, IgnoreEntry };
export { entryMatches, IGNORE_FILE, loadIgnores, parseCfnLint, parseCheckov };

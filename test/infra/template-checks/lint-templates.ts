import { execFile } from 'node:child_process';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import {
  type CheckovCounts,
  entryMatches,
  type Finding,
  IGNORE_FILE,
  type IgnoreEntry,
  loadIgnores,
  parseCfnLint,
  parseCheckov,
} from './findings.ts';
import { synthVariants, TEMPLATE_REGION } from './synth-variants.ts';

/**
 * `npm run lint:templates` (through scripts/lint-templates.sh, which installs the tools): synthesizes
 * the matrix of deployment settings, runs cfn-lint and checkov (with the project's own checks in
 * `checks/`) on every template, applies the one
 * ignore file, prints a table per variant and exits non-zero on any cfn-lint error or warning or
 * checkov failure that the ignore file does not cover, on a variant that does not synthesize, and on
 * an ignore entry that no longer matches anything.
 */
const run = promisify(execFile);
const TOOL_OUTPUT_MAX_BYTES = 64 * 1024 * 1024;
const PROJECT_CHECKS_DIR = join(import.meta.dirname, 'checks');
const CFN_LINT_MAIN =
  "import sys; from cfnlint.runner import main; sys.argv[0] = 'cfn-lint'; sys.exit(main())";

/** Both tools exit non-zero when they find something: their JSON on stdout is what counts. */
async function runTool(python: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(python, args, { maxBuffer: TOOL_OUTPUT_MAX_BYTES });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    if (stdout?.trim().startsWith('[') || stdout?.trim().startsWith('{')) return stdout;
    throw new Error(`${args.slice(0, 2).join(' ')} failed: ${stderr || (error as Error).message}`);
  }
}

function cfnLint(python: string, templates: string[]): Promise<string> {
  // Informational rules too, for the table; only errors and warnings fail the run.
  const args = [
    '--format',
    'json',
    '--regions',
    TEMPLATE_REGION,
    '--include-checks',
    'I',
    '--',
    ...templates,
  ];
  return runTool(python, ['-c', CFN_LINT_MAIN, ...args]);
}

function checkov(python: string, templates: string[]): Promise<string> {
  // --skip-download: no guidelines or policies from the platform; the run is fully offline.
  // Our own checks (CKV2_EVENTPIPE_*) cover AWS rules neither tool knows; they run beside checkov's.
  const args = ['--framework', 'cloudformation', '--skip-download', '--output', 'json'];
  args.push('--external-checks-dir', PROJECT_CHECKS_DIR);
  return runTool(python, ['-m', 'checkov.main', ...args, ...templates.flatMap((t) => ['--file', t])]);
}

interface VariantRow {
  name: string;
  cfn: Record<Finding['level'], number>;
  cfnIgnored: number;
  checkov: CheckovCounts;
  checkovIgnored: number;
  error?: string;
}

function table(rows: VariantRow[]): string {
  const header = ['variant', 'cfn E', 'W', 'I', 'ignored', 'checkov passed', 'failed', 'skipped'];
  const lines = rows.map((row) =>
    row.error
      ? [row.name, 'synth failed', '', '', '', '', '', '']
      : [
          row.name,
          row.cfn.error,
          row.cfn.warning,
          row.cfn.informational,
          row.cfnIgnored,
          row.checkov.passed,
          row.checkov.failed.length,
          row.checkovIgnored + row.checkov.skipped,
        ].map(String),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const format = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [format(header), ...lines.map(format)].join('\n');
}

function describe(finding: Finding): string {
  return `  ${finding.variant}  ${finding.tool} ${finding.id} (${finding.level})  ${finding.resource ?? '-'}: ${finding.message}`;
}

async function main(): Promise<number> {
  const python = process.env.TEMPLATE_TOOLS_PYTHON;
  if (!python) throw new Error('TEMPLATE_TOOLS_PYTHON is not set: run `npm run lint:templates`');
  const variants = synthVariants();
  const ignores = loadIgnores(variants.map((v) => v.name));
  const templates = variants.flatMap((v) => (v.templatePath ? [v.templatePath] : []));
  const [cfnOut, checkovOut] = await Promise.all([cfnLint(python, templates), checkov(python, templates)]);
  const cfnFindings = parseCfnLint(cfnOut);
  const checkovByVariant = parseCheckov(checkovOut);

  const used = new Set<IgnoreEntry>();
  const ignoredBy = (finding: Finding) => {
    const entry = ignores.find((e) => entryMatches(e, finding));
    if (entry) used.add(entry);
    return entry !== undefined;
  };
  const remaining: Finding[] = [];
  const rows = variants.map((variant): VariantRow => {
    const row: VariantRow = {
      name: variant.name,
      cfn: { error: 0, warning: 0, informational: 0, failed: 0 },
      cfnIgnored: 0,
      checkov: { passed: 0, failed: [], skipped: 0 },
      checkovIgnored: 0,
      error: variant.error,
    };
    for (const finding of cfnFindings.filter((f) => f.variant === variant.name)) {
      if (ignoredBy(finding)) row.cfnIgnored += 1;
      else {
        row.cfn[finding.level] += 1;
        if (finding.level !== 'informational') remaining.push(finding);
      }
    }
    const counts = checkovByVariant.get(variant.name) ?? { passed: 0, failed: [], skipped: 0 };
    const failed = counts.failed.filter((finding) => !ignoredBy(finding));
    row.checkovIgnored = counts.failed.length - failed.length;
    row.checkov = { ...counts, failed };
    remaining.push(...failed);
    return row;
  });

  console.log(table(rows));
  console.log(
    `\ncfn-lint ${cfnFindings.length} findings, checkov ${[...checkovByVariant.values()].reduce((n, c) => n + c.passed + c.failed.length, 0)} results; ignored per ${relative(process.cwd(), IGNORE_FILE)} (informational rules are counted, never fatal).`,
  );
  const failedSynth = variants.filter((v) => v.error);
  for (const v of failedSynth) console.log(`\nsynth failed: ${v.name}: ${v.error}`);
  const unused = ignores.filter((entry) => !used.has(entry));
  if (unused.length > 0) {
    console.log('\nIgnore entries that match nothing (remove them, or fix their scope):');
    for (const entry of unused) console.log(`  ${entry.tool} ${entry.id} ${entry.variants?.join(',') ?? ''}`);
  }
  if (remaining.length > 0) {
    console.log(
      `\nFindings not ignored (${remaining.length}): fix the stack, or add a reasoned entry if false:`,
    );
    for (const finding of remaining) console.log(describe(finding));
  }
  const ok = remaining.length === 0 && failedSynth.length === 0 && unused.length === 0;
  console.log(ok ? '\ntemplate checks passed' : '\ntemplate checks FAILED');
  return ok ? 0 : 1;
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  return 2;
});

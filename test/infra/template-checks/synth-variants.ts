import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { z } from 'zod';
import { parseDeploymentSettings } from '#shared/config/deployment-settings.ts';
import { PipelineStack } from '../../../infra/pipeline-stack.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const VARIANTS_DIR = join(import.meta.dirname, 'variants');
/** Under `cdk.out/` (ignored by git), apart from what `cdk synth` writes there. */
const DEFAULT_OUT_DIR = join(ROOT, 'cdk.out', 'variants');
/** The stack name of `infra/app.ts`, so that templates name resources as a deployment would. */
const STACK_NAME = 'EventPipe';
/** A fixed account and region: the templates must not depend on who runs the check or where. */
const TEMPLATE_ACCOUNT = '123456789012';
const TEMPLATE_REGION = 'eu-west-1';

/**
 * One deployment of the matrix: its settings inline, or a context key of `cdk.json` (the default
 * deployment is read from there, never copied, so that it cannot drift).
 */
const VariantFileSchema = z.union([
  z.strictObject({ description: z.string().min(1), settings: z.record(z.string(), z.unknown()) }),
  z.strictObject({ description: z.string().min(1), cdkContext: z.string().min(1) }),
]);

interface SynthResult {
  readonly name: string;
  readonly description: string;
  /** The template's path, or the error that stopped synthesis (invalid settings, cdk-nag). */
  readonly templatePath?: string;
  readonly error?: string;
}

/** cdk.json's context: the feature flags every variant shares, and the `eventpipe` settings. */
function readCdkContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

/**
 * Synthesizes `PipelineStack` once per variant file, as `infra/app.ts` does (cdk.json's feature
 * flags, cdk-nag), for a fixed account and region. Asset bundling is skipped: the template is what
 * is checked, and the functions' `Code` still points at an S3 asset in the bootstrap bucket.
 *
 * @param outDir - where `<variant>/EventPipe.template.json` is written (emptied first)
 * @example
 * ```ts
 * for (const { name, templatePath, error } of synthVariants()) console.log(name, templatePath ?? error);
 * ```
 */
function synthVariants(outDir: string = DEFAULT_OUT_DIR): SynthResult[] {
  rmSync(outDir, { recursive: true, force: true });
  const context = readCdkContext();
  const featureFlags = Object.fromEntries(Object.entries(context).filter(([key]) => key.startsWith('@')));
  const files = readdirSync(VARIANTS_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort();
  return files.map((file): SynthResult => {
    const name = basename(file, '.json');
    const variant = VariantFileSchema.parse(JSON.parse(readFileSync(join(VARIANTS_DIR, file), 'utf8')));
    try {
      const settings = parseDeploymentSettings(
        'settings' in variant ? variant.settings : context[variant.cdkContext],
      );
      const app = new App({
        outdir: join(outDir, name),
        context: { ...featureFlags, 'aws:cdk:bundling-stacks': [] },
      });
      new PipelineStack(app, STACK_NAME, {
        settings,
        env: { account: TEMPLATE_ACCOUNT, region: TEMPLATE_REGION },
      });
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      app.synth();
      return {
        name,
        description: variant.description,
        templatePath: join(outDir, name, `${STACK_NAME}.template.json`),
      };
    } catch (error) {
      return { name, description: variant.description, error: (error as Error).message };
    }
  });
}

export { synthVariants, TEMPLATE_REGION };

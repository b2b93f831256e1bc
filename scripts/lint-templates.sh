#!/usr/bin/env bash
# `npm run lint:templates`: AWS's CloudFormation linter (cfn-lint) and a security scanner (checkov)
# on the synthesized template of every deployment in test/infra/template-checks/variants/. Installs
# the pinned tools into .tools/ on first use (see ensure-template-tools.sh); needs no services and
# no network after that. Fails on any finding that test/infra/template-checks/ignore.json does not
# ignore with a reason. See docs/TEMPLATE-CHECKS.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/ensure-node.sh
source scripts/ensure-deps.sh
source scripts/ensure-template-tools.sh
# An explicit account and region, never the CLI's fallback: the stack is synthesized with these
# (test/infra/template-checks/synth-variants.ts fixes the same) and cfn-lint checks that region.
export CDK_DEFAULT_ACCOUNT=123456789012 CDK_DEFAULT_REGION=eu-west-1 AWS_REGION=eu-west-1
# Nothing leaves the machine: checkov runs with --skip-download (no guidelines or mappings from the
# platform; BC_SKIP_MAPPING says the same), and an API key in the caller's environment would make
# it upload results, so none is passed on.
unset BC_API_KEY PRISMA_API_URL
export BC_SKIP_MAPPING=TRUE
exec node test/infra/template-checks/lint-templates.ts "$@"

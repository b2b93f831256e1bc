import { SecurityGroup, Subnet, Vpc } from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import type { DeploymentSettings } from '#shared/config/deployment-settings.ts';
import type { VpcPlacement } from './constructs/pipeline-function/index.ts';

/**
 * An existing VPC placement from its ids, without lookups, so that synth needs no credentials.
 *
 * @param scope - where the imported references live (they create no resources)
 * @param id - prefix of the references' construct ids
 * @param placement - the ids from the settings
 * @example
 * ```ts
 * const vpc = importVpcPlacement(this, 'FunctionVpc', settings.functionVpc);
 * ```
 */
function importVpcPlacement(
  scope: Construct,
  id: string,
  placement: NonNullable<DeploymentSettings['functionVpc']>,
): VpcPlacement {
  const vpc = Vpc.fromVpcAttributes(scope, id, {
    vpcId: placement.vpcId,
    availabilityZones: placement.availabilityZones,
    privateSubnetIds: placement.subnetIds,
  });
  return {
    vpc,
    subnets: {
      subnets: placement.subnetIds.map((subnetId, i) =>
        Subnet.fromSubnetId(scope, `${id}Subnet${i}`, subnetId),
      ),
    },
    securityGroup: SecurityGroup.fromSecurityGroupId(scope, `${id}SecurityGroup`, placement.securityGroupId),
  };
}

export { importVpcPlacement };

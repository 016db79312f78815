/**
 * AWS console links built from an ARN (or an S3 URI) and a region: the job in the
 * SageMaker console, its CloudWatch logs, an S3 location in the S3 console. Pure;
 * nothing is fetched. An ARN the panel does not know gives no link.
 */

export interface IConsoleLink {
  label: string;
  url: string;
}

interface IArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resourceType: string;
  resource: string;
}

/** `arn:aws:sagemaker:eu-west-1:123456789012:training-job/name` split into its fields. */
export function parseArn(arn: string | null | undefined): IArn | null {
  if (!arn) {
    return null;
  }
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') {
    return null;
  }
  const rest = parts.slice(5).join(':');
  const slash = rest.indexOf('/');
  return {
    partition: parts[1],
    service: parts[2],
    region: parts[3],
    account: parts[4],
    resourceType: slash < 0 ? rest : rest.slice(0, slash),
    resource: slash < 0 ? '' : rest.slice(slash + 1)
  };
}

/** The console's origin for a partition and region. */
export function consoleOrigin(partition: string, region: string): string {
  if (partition === 'aws-cn') {
    return 'https://console.amazonaws.cn';
  }
  if (partition === 'aws-us-gov') {
    return 'https://console.amazonaws-us-gov.com';
  }
  return `https://${region}.console.aws.amazon.com`;
}

/** SageMaker console fragment and CloudWatch log group per job kind. */
const JOBS: Record<
  string,
  { page: string; logGroup: string | null; noun: string }
> = {
  'training-job': {
    page: 'jobs',
    logGroup: '/aws/sagemaker/TrainingJobs',
    noun: 'training job'
  },
  'processing-job': {
    page: 'processing-jobs',
    logGroup: '/aws/sagemaker/ProcessingJobs',
    noun: 'processing job'
  },
  'transform-job': {
    page: 'transform-jobs',
    logGroup: '/aws/sagemaker/TransformJobs',
    noun: 'transform job'
  },
  'hyper-parameter-tuning-job': {
    page: 'hyper-tuning-jobs',
    logGroup: null,
    noun: 'tuning job'
  }
};

/** The CloudWatch console's double-escaped fragment encoding (`/` -> `$252F`). */
function cloudWatchEscape(text: string): string {
  return encodeURIComponent(encodeURIComponent(text)).replace(/%/g, '$');
}

/**
 * Links for a job ARN (`run.jobArn`): the job in the SageMaker console and, for
 * training, processing and transform jobs, its log streams in CloudWatch Logs
 * (the streams are named after the job). `region` defaults to the ARN's.
 */
export function jobLinks(
  jobArn: string | null | undefined,
  region?: string
): IConsoleLink[] {
  const arn = parseArn(jobArn);
  if (
    !arn ||
    arn.service !== 'sagemaker' ||
    !JOBS[arn.resourceType] ||
    !arn.resource
  ) {
    return [];
  }
  const where = arn.region || region || '';
  const origin = consoleOrigin(arn.partition, where);
  const job = JOBS[arn.resourceType];
  const name = arn.resource;
  const links: IConsoleLink[] = [
    {
      label: `${job.noun} in the SageMaker console`,
      url: `${origin}/sagemaker/home?region=${where}#/${job.page}/${encodeURIComponent(name)}`
    }
  ];
  if (job.logGroup) {
    links.push({
      label: 'logs in CloudWatch',
      url:
        `${origin}/cloudwatch/home?region=${where}#logsV2:log-groups/log-group/` +
        `${cloudWatchEscape(job.logGroup)}$3FlogStreamNameFilter$3D${cloudWatchEscape(name)}`
    });
  }
  return links;
}

/**
 * The S3 console page of an `s3://bucket/key` location: the object when the last
 * path segment looks like a file (has a dot), else the prefix's listing.
 */
export function s3ConsoleLink(
  uri: string,
  region: string,
  partition = 'aws'
): IConsoleLink | null {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) {
    return null;
  }
  const [, bucket, key] = match;
  const origin =
    partition === 'aws'
      ? 'https://s3.console.aws.amazon.com'
      : consoleOrigin(partition, region);
  const last = key.replace(/\/+$/, '').split('/').pop() ?? '';
  const isObject = key !== '' && !key.endsWith('/') && last.includes('.');
  const query = `region=${encodeURIComponent(region)}`;
  if (isObject) {
    return {
      label: 'object in the S3 console',
      url: `${origin}/s3/object/${bucket}?${query}&prefix=${encodeURIComponent(key)}`
    };
  }
  const prefix = key && !key.endsWith('/') ? `${key}/` : key;
  return {
    label: prefix ? 'prefix in the S3 console' : 'bucket in the S3 console',
    url: `${origin}/s3/buckets/${bucket}?${query}${prefix ? `&prefix=${encodeURIComponent(prefix)}` : ''}`
  };
}

/** The partition of an ARN (`aws` when it has none). */
export function arnPartition(arn: string | null | undefined): string {
  return parseArn(arn)?.partition || 'aws';
}

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { formatAgo, formatElapsed, formatTime } from '../src/format';
import { jobLinks, parseArn, s3ConsoleLink } from '../src/links';
import { deniedAction } from '../src/api-errors';

test('format: elapsed seconds as a person reads them', () => {
  assert.deepEqual(
    [
      formatElapsed(42),
      formatElapsed(555),
      formatElapsed(600),
      formatElapsed(5760),
      formatElapsed(null)
    ],
    ['42 s', '9 min 15 s', '10 min', '1 h 36 min', '']
  );
});

test('format: how long ago', () => {
  const now = Date.parse('2026-11-26T12:00:00Z');
  assert.equal(formatAgo('2026-11-26T11:59:50Z', now), 'just now');
  assert.equal(formatAgo('2026-11-26T11:35:00Z', now), '25 min ago');
  assert.equal(formatAgo('2026-11-26T09:00:00Z', now), '3 h ago');
  assert.equal(formatAgo('2026-11-20T12:00:00Z', now), '6 d ago');
  assert.equal(formatAgo('not a time', now), '');
  assert.equal(
    formatTime('2026-11-26T01:29:50.178Z'),
    '2026-11-26 01:29:50 UTC'
  );
});

test('links: a training job opens in the SageMaker console and its logs in CloudWatch', () => {
  const links = jobLinks(
    'arn:aws:sagemaker:eu-west-1:123456789012:training-job/pipelines-abc-train-1'
  );
  assert.equal(
    links[0].url,
    'https://eu-west-1.console.aws.amazon.com/sagemaker/home?region=eu-west-1#/jobs/pipelines-abc-train-1'
  );
  assert.equal(
    links[1].url,
    'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/' +
      '$252Faws$252Fsagemaker$252FTrainingJobs$3FlogStreamNameFilter$3Dpipelines-abc-train-1'
  );
});

test('links: processing and transform jobs, China partition, unknown ARNs', () => {
  const processing = jobLinks(
    'arn:aws-cn:sagemaker:cn-north-1:1:processing-job/p1'
  );
  assert.match(
    processing[0].url,
    /^https:\/\/console\.amazonaws\.cn\/sagemaker\/home\?region=cn-north-1#\/processing-jobs\/p1$/
  );
  assert.match(processing[1].url, /ProcessingJobs/);
  assert.equal(
    jobLinks('arn:aws:sagemaker:us-east-1:1:transform-job/t')[0].url.includes(
      '#/transform-jobs/t'
    ),
    true
  );
  assert.deepEqual(
    jobLinks('arn:aws:sagemaker:us-east-1:1:model-package/g/1'),
    []
  );
  assert.deepEqual(jobLinks(null), []);
  assert.equal(parseArn('nope'), null);
});

test('links: S3 objects and prefixes in the S3 console', () => {
  assert.equal(
    s3ConsoleLink('s3://bkt/models/run 1/model.tar.gz', 'ap-northeast-2')!.url,
    'https://s3.console.aws.amazon.com/s3/object/bkt?region=ap-northeast-2&prefix=models%2Frun%201%2Fmodel.tar.gz'
  );
  assert.equal(
    s3ConsoleLink('s3://bkt/data/train', 'eu-west-1')!.url,
    'https://s3.console.aws.amazon.com/s3/buckets/bkt?region=eu-west-1&prefix=data%2Ftrain%2F'
  );
  assert.equal(
    s3ConsoleLink('s3://bkt', 'eu-west-1')!.label,
    'bucket in the S3 console'
  );
  assert.equal(s3ConsoleLink('https://example.com/x', 'eu-west-1'), null);
});

test('errors: the IAM action of an access-denied message', () => {
  assert.equal(
    deniedAction(
      'access denied: the AWS role cannot call sagemaker:ListPipelines'
    ),
    'sagemaker:ListPipelines'
  );
  assert.equal(
    deniedAction('pipeline not found or domain filter mismatched'),
    null
  );
});

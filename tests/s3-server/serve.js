// An S3-compatible server on loopback for the media store's tests: s3rver (pinned in
// package-lock.json) with one bucket, keeping its objects in a folder. It prints "listening PORT"
// once it accepts requests, then "written KEY" for each object written, so a test can count writes.
//
//   node serve.js <folder> <port, 0 for any free one> <bucket>
'use strict';

const S3rver = require('s3rver');

const [directory, port, bucket] = process.argv.slice(2);
const server = new S3rver({
  directory,
  address: '127.0.0.1',
  port: Number(port),
  silent: true,
  configureBuckets: [{ name: bucket, configs: [] }],
});
server.on('event', event => {
  for (const record of event.Records) {
    if (record.eventName.startsWith('ObjectCreated:')) {
      console.log(`written ${record.s3.object.key}`);
    }
  }
});
server.run().then(
  address => console.log(`listening ${address.port}`),
  error => {
    console.error(error);
    process.exit(1);
  },
);

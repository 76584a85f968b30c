// The local demo's outbound mail relay: `node libs/testing/scripts/smtp-sink.js` (no build needed).
'use strict';
require('../../../test/register-ts.js');
require('./smtp-sink-server.ts');

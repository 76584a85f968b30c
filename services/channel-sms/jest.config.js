module.exports = { ...require('../../jest.preset.js'), displayName: 'channel-sms', rootDir: __dirname };

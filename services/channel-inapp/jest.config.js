module.exports = { ...require('../../jest.preset.js'), displayName: 'channel-inapp', rootDir: __dirname };

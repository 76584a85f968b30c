module.exports = { ...require('../../jest.preset.js'), displayName: 'channel-social', rootDir: __dirname };

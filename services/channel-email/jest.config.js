module.exports = { ...require('../../jest.preset.js'), displayName: 'channel-email', rootDir: __dirname };

module.exports = { ...require('../../jest.preset.js'), displayName: 'channels', rootDir: __dirname };

// Specs of the web app's pure modules; they import each other with the `.js` suffix browsers need.
module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'console-web',
  rootDir: __dirname,
  moduleNameMapper: { ...require('../../../jest.preset.js').moduleNameMapper, '^(\\.{1,2}/.*)\\.js$': '$1' },
};

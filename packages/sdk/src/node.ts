// `@confidant/sdk/node`: what needs Node — building an iApp's OCI image (tar layers) to deploy it.
// The main entry stays free of Node built-ins for browsers.
export { deployApp, type DeployAppParameters, type DeployAppReturnType } from './publisher/deployApp.js';

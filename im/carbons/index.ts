export { carbonsModule } from './carbons-module.js';

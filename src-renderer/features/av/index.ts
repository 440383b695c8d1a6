/** The A/V (lip-sync) page: the only entry other parts of the app may import from this feature. */
export { AvPage } from './AvPage';

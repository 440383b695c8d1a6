/** The Measure page: the only entry other parts of the app may import from this feature. */
export { MeasurePage } from './MeasurePage';

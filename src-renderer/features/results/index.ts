/** The Results page: the only entry other parts of the app may import from this feature. */
export { ResultsPage, type ResultsPageProps } from './ResultsPage';

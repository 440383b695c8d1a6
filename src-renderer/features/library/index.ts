/** The Library page: the only entry other parts of the app may import from this feature. */
export { LibraryPage } from './LibraryPage';

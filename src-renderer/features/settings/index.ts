/** The Settings page: the only entry other parts of the app may import from this feature. */
export { SettingsPage } from './SettingsPage';

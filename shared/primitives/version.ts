/** The software version written into reports and shown by `latency-lab --version`. */
import pkg from '../../package.json';

export const SOFTWARE_VERSION: string = pkg.version;

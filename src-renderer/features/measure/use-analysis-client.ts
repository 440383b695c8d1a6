import { useEffect, useState } from 'react';
import { type AnalysisClient, createAnalysisClient } from '../../worker/worker-client';

/** One analysis worker client for the page; the worker starts on first use and ends on unmount. */
export function useAnalysisClient(factory: () => AnalysisClient = createAnalysisClient): AnalysisClient {
  const [client] = useState(factory);
  useEffect(() => () => client.cancel(), [client]);
  return client;
}

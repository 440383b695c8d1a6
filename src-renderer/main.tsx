import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import './app/app.css';
import { createBrowserHost } from './host/browser-host';
import { createElectronHost, electronBridge } from './host/electron-host';
import { HostProvider } from './host/host-context';

const bridge = electronBridge();
const host = bridge ? createElectronHost(bridge) : createBrowserHost();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <HostProvider host={host}>
      <App />
    </HostProvider>
  </StrictMode>,
);

/**
 * Dispatches an invoke to its handler: the channel must be one of the contract's, the sender the
 * app's own page, and the payload must match the channel's request schema (strict: unknown keys,
 * wrong types and values over the limits are refused). The handler's answer is checked against the
 * response schema too. Every failure resolves to `{ ok: false, error: { code, message } }`.
 */
import {
  IPC_CONTRACT,
  type IpcChannel,
  type IpcResponse,
  type IpcResult,
  type IpcValidRequest,
  isIpcChannel,
} from '../../../shared/contract/ipc-contract';
import { IpcError, toIpcErrorData } from './ipc-error';
import type { SenderFrame } from './sender-policy';

export type IpcHandlers = {
  [C in IpcChannel]: (request: IpcValidRequest<C>) => Promise<IpcResponse<C>> | IpcResponse<C>;
};

export interface IpcRouter {
  readonly channels: readonly IpcChannel[];
  dispatch(channel: string, sender: SenderFrame | null | undefined, args: readonly unknown[]): Promise<IpcResult<unknown>>;
}

export interface IpcRouterOptions {
  isTrustedSender(frame: SenderFrame | null | undefined): boolean;
  log?(message: string): void;
}

function issuesText(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  const shown = issues.slice(0, 5).map((issue) => `${issue.path.map(String).join('.') || '(payload)'}: ${issue.message}`);
  return shown.join('; ') + (issues.length > 5 ? ` (+${issues.length - 5} more)` : '');
}

export function createIpcRouter(handlers: IpcHandlers, options: IpcRouterOptions): IpcRouter {
  const log = options.log ?? ((message: string) => console.warn(message));
  const channels = Object.keys(IPC_CONTRACT) as IpcChannel[];

  async function dispatch(channel: string, sender: SenderFrame | null | undefined, args: readonly unknown[]): Promise<IpcResult<unknown>> {
    if (!isIpcChannel(channel)) {
      return { ok: false, error: { code: 'INVALID_REQUEST', message: `unknown channel ${JSON.stringify(String(channel).slice(0, 100))}` } };
    }
    if (!options.isTrustedSender(sender)) {
      log(`ipc: refused ${channel} from ${String(sender?.url ?? 'an unknown frame').slice(0, 200)}`);
      return { ok: false, error: { code: 'FORBIDDEN', message: 'this request did not come from the app' } };
    }
    if (args.length !== 1) {
      return { ok: false, error: { code: 'INVALID_REQUEST', message: `${channel} takes exactly one argument, got ${args.length}` } };
    }
    const contract = IPC_CONTRACT[channel];
    const request = contract.request.safeParse(args[0]);
    if (!request.success) {
      return { ok: false, error: toIpcErrorData(new IpcError('INVALID_REQUEST', `invalid ${channel} request: ${issuesText(request.error.issues)}`)) };
    }
    let value: unknown;
    try {
      const handler = handlers[channel] as (request: unknown) => unknown;
      value = await handler(request.data);
    } catch (error) {
      const data = toIpcErrorData(error);
      if (data.code === 'INTERNAL' || data.code === 'IO') log(`ipc: ${channel} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return { ok: false, error: data };
    }
    const response = contract.response.safeParse(value);
    if (!response.success) {
      log(`ipc: ${channel} produced an invalid response: ${issuesText(response.error.issues)}`);
      return { ok: false, error: { code: 'INTERNAL', message: `internal error: the answer to ${channel} was invalid` } };
    }
    return { ok: true, value: response.data };
  }

  return { channels, dispatch };
}

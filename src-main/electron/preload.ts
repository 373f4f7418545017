// The preload exposes exactly the typed API transport (call + subscribe) and nothing of Electron.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiTransport, EventListener } from '../../src-shared/api/client';
import { PRELOAD_GLOBAL } from '../../src-shared/api/client';
import type { EventName } from '../../src-shared/api/contract';
import type { ApiResult } from '../../src-shared/api/result';
import { CALL_CHANNEL, EVENT_CHANNEL } from './ipc-channels';

const listeners = new Set<EventListener>();
ipcRenderer.on(EVENT_CHANNEL, (_event: IpcRendererEvent, name: EventName, payload: unknown) => {
  for (const listener of listeners) listener(name, payload);
});

const transport: ApiTransport = {
  call: (method, params) => ipcRenderer.invoke(CALL_CHANNEL, String(method), params) as Promise<ApiResult<unknown>>,
  subscribe: (listener) => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
};

contextBridge.exposeInMainWorld(PRELOAD_GLOBAL, transport);

import type { ApiError } from './errors';

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const ok = <T>(value: T): ApiResult<T> => ({ ok: true, value });
export const fail = (error: ApiError): ApiResult<never> => ({ ok: false, error });

import { SetMetadata } from '@nestjs/common';

export const AUTH_MODE_KEY = 'assemblr:auth-mode';
export type AuthMode = 'public' | 'cron';

/** The route needs no credentials (e.g. `/health`). */
export const Public = () => SetMetadata(AUTH_MODE_KEY, 'public' satisfies AuthMode);
/** The route also accepts `Bearer <CRON_SECRET>` besides the API token (the cron endpoint). */
export const AllowCronSecret = () => SetMetadata(AUTH_MODE_KEY, 'cron' satisfies AuthMode);

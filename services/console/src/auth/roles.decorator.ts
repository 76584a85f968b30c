import { SetMetadata } from '@nestjs/common';
import { ConsoleRole } from '@switchboard/persistence';

export const PUBLIC_ROUTE = 'console:public';
export const LEAST_ROLE = 'console:least-role';

/** No access token needed (sign-in, refresh). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** The least role a route needs; admins pass where supervisors do. */
export const LeastRole = (role: ConsoleRole) => SetMetadata(LEAST_ROLE, role);

// Every route of the API, in one list: the app registers it, the OpenAPI document describes it and
// the roles × routes test walks it.
import type { ApiContext } from '../context.ts';
import { openApiDocument } from '../openapi.ts';
import type { AnyRoute } from '../route.ts';
import { accountRoutes } from './accounts.ts';
import { activityRoutes } from './activity.ts';
import { auditRoutes } from './audit.ts';
import { blockPageRoutes } from './block-page.ts';
import { deviceRoutes } from './devices.ts';
import { directoryRoutes } from './directory.ts';
import { explainRoutes } from './explain.ts';
import { listImportRoutes } from './list-imports.ts';
import { listRoutes } from './lists.ts';
import { policyRoutes } from './policy.ts';
import { schoolRoutes } from './schools.ts';
import { sessionRoutes } from './session.ts';
import { systemRoutes } from './system.ts';
import { unblockRoutes } from './unblock.ts';

export function apiRoutes(ctx: ApiContext): AnyRoute[] {
  let document: unknown;
  const routes: AnyRoute[] = [];
  routes.push(
    ...systemRoutes(ctx, () => (document ??= openApiDocument(routes, ctx.version))),
    ...sessionRoutes(ctx.auth),
    ...accountRoutes(ctx),
    ...schoolRoutes(ctx),
    ...blockPageRoutes(ctx),
    ...explainRoutes(ctx),
    ...directoryRoutes(ctx),
    ...deviceRoutes(ctx),
    ...policyRoutes(ctx),
    ...listRoutes(ctx),
    ...listImportRoutes(ctx),
    ...unblockRoutes(ctx.unblock),
    ...activityRoutes(ctx.activity),
    ...auditRoutes(ctx),
  );
  return routes;
}

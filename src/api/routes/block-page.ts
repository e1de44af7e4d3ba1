// The school's own words on the block page: read by anyone who may see the school, changed by those
// who may change it. Validation of the text itself is the core's (plain text, bounded, no controls).
import { z } from 'zod';
import { BLOCK_PAGE_TEXT_LIMITS } from '../../core/org/block-page-text.ts';
import { getBlockPageText, saveBlockPageText } from '../../services/org/block-page-text.ts';
import type { ApiContext } from '../context.ts';
import { route, type AnyRoute } from '../route.ts';
import { SchoolParams } from '../schemas.ts';

const Text = z.object({ heading: z.string(), explanation: z.string(), whoToAsk: z.string() });

// Generous bounds here only stop oversized bodies early; the core gives the exact limits and messages.
const TextInput = z.object({
  heading: z.string().max(BLOCK_PAGE_TEXT_LIMITS.heading * 4),
  explanation: z.string().max(BLOCK_PAGE_TEXT_LIMITS.explanation * 4).optional(),
  whoToAsk: z.string().max(BLOCK_PAGE_TEXT_LIMITS.whoToAsk * 4),
});

const BlockPageTextView = z.object({
  text: Text,
  /** The built-in words, for "put back the defaults". */
  defaults: Text,
  isDefault: z.boolean(),
  updatedAt: z.string().nullable(),
  limits: z.object({ heading: z.number(), explanation: z.number(), whoToAsk: z.number() }),
});

export function blockPageRoutes(ctx: ApiContext): AnyRoute[] {
  return [
    route({
      method: 'GET',
      url: '/api/schools/:schoolId/block-page',
      summary: 'Get the words the school’s block page shows',
      tag: 'schools',
      access: 'schools:read',
      params: SchoolParams,
      response: BlockPageTextView,
      handle: async ({ params }) => ({ ...(await getBlockPageText(ctx.blockPage, params.schoolId)), limits: BLOCK_PAGE_TEXT_LIMITS }),
    }),
    route({
      method: 'PUT',
      url: '/api/schools/:schoolId/block-page',
      summary: 'Set the school’s block page heading, explanation and who to talk to',
      tag: 'schools',
      access: 'schools:update',
      params: SchoolParams,
      body: TextInput,
      response: BlockPageTextView,
      handle: async ({ params, body, principal }) => ({ ...(await saveBlockPageText(ctx.blockPage, principal!.account.id, params.schoolId, body)), limits: BLOCK_PAGE_TEXT_LIMITS }),
    }),
  ];
}
